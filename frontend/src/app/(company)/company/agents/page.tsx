'use client';

import { useId, useState } from 'react';
import { PageHeader, Section } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import { useInternalTenantAgents, useTenantsList, useUsageOverview } from '@/features/company/api/queries';
import { TenantAgentsTable } from '@/features/company/components/tenant-agents-table';
import { TopAgentsTable } from '@/features/company/components/top-agents-table';
import { t } from '@/lib/i18n/pt-br';

export default function CompanyAgentsPage() {
  const usage = useUsageOverview('30d');
  const tenants = useTenantsList({ status: 'all', limit: '200', sort_by: 'name' } as never);
  const [tenantId, setTenantId] = useState('');
  const agents = useInternalTenantAgents(tenantId || undefined);
  const selectId = useId();

  return (
    <div className="stack">
      <PageHeader title={t.agents.title} />
      <Section title={t.company.topAgents} id="agents-top">
        <QueryState query={usage}>
          {(data) => <TopAgentsTable agents={data.top_agents_by_usage} requestsLabel={t.agents.requests} />}
        </QueryState>
      </Section>
      <Section
        title={t.detail.agents}
        id="agents-by-tenant"
        actions={
          <div className="field inline">
            <label htmlFor={selectId}>{t.operations.tenant}</label>
            <select id={selectId} value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
              <option value="">{t.operations.chooseTenant}</option>
              {tenants.data?.tenants.map((tenant) => (
                <option key={tenant.id} value={tenant.id}>{tenant.name}</option>
              ))}
            </select>
          </div>
        }
      >
        {tenantId ? <QueryState query={agents}>{(data) => <TenantAgentsTable agents={data.agents} />}</QueryState> : <p className="hint">{t.operations.chooseTenant}</p>}
      </Section>
    </div>
  );
}
