'use client';

import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { PageHeader, Section } from '@/components/shared/section';
import { Skeleton } from '@/components/shared/states';
import { CommandForm } from '@/features/operations/components/command-form';
import { CommandHistory } from '@/features/operations/components/command-history';
import type { CommandType } from '@/lib/api/types';
import { t } from '@/lib/i18n/pt-br';

const TYPES: readonly string[] = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'];

function Console() {
  // Deep link from a tenant's page: ?tenant_id=…&command_type=…
  const params = useSearchParams();
  const type = params.get('command_type') ?? '';
  const tenantId = params.get('tenant_id') ?? '';
  return (
    <>
      <Section title={t.operations.form} id="command-form">
        <CommandForm key={`${type}:${tenantId}`} initialType={TYPES.includes(type) ? (type as CommandType) : 'HEALTH_CHECK'} initialTenantId={tenantId} />
      </Section>
      <Section title={t.operations.history} id="command-history">
        <CommandHistory />
      </Section>
    </>
  );
}

export default function OperationsPage() {
  return (
    <div className="stack">
      <PageHeader title={t.operations.title} />
      <Suspense fallback={<Skeleton />}>
        <Console />
      </Suspense>
    </div>
  );
}
