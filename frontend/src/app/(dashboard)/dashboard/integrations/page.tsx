'use client';

import { RequireGroup } from '@/components/shared/app-shell';
import { PageHeader } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import { useTenantIntegrations } from '@/features/tenant/api/queries';
import { IntegrationsTable } from '@/features/tenant/components/integrations-table';
import { canSeeIntegrations } from '@/lib/auth/permissions';
import { t } from '@/lib/i18n/pt-br';

function Integrations() {
  const integrations = useTenantIntegrations(true);
  return (
    <div className="card">
      <QueryState query={integrations} lines={4}>{(data) => <IntegrationsTable integrations={data.integrations} />}</QueryState>
    </div>
  );
}

export default function IntegrationsPage() {
  return (
    <div className="stack">
      <PageHeader title={t.integrations.title} />
      <RequireGroup allow={canSeeIntegrations} message={t.integrations.adminOnly}>
        <Integrations />
      </RequireGroup>
    </div>
  );
}
