'use client';

import { PageHeader } from '@/components/shared/section';
import { TenantsTable } from '@/features/company/components/tenants-table';
import { t } from '@/lib/i18n/pt-br';

export default function TenantsPage() {
  return (
    <div className="stack">
      <PageHeader title={t.tenants.title} />
      <div className="card">
        <TenantsTable />
      </div>
    </div>
  );
}
