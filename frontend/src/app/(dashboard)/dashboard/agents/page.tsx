'use client';

import { useId, useState } from 'react';
import { PageHeader } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import { useTenantAgents } from '@/features/tenant/api/queries';
import { AgentsTable } from '@/features/tenant/components/agents-table';
import type { AgentStatusFilter } from '@/lib/api/types';
import { t } from '@/lib/i18n/pt-br';

const FILTERS: readonly AgentStatusFilter[] = ['active', 'inactive', 'suspended', 'all'];

export default function AgentsPage() {
  const [status, setStatus] = useState<AgentStatusFilter>('active');
  const agents = useTenantAgents(status);
  const selectId = useId();
  return (
    <div className="stack">
      <PageHeader
        title={t.agents.title}
        actions={
          <div className="field inline">
            <label htmlFor={selectId}>{t.agents.filter}</label>
            <select id={selectId} value={status} onChange={(e) => setStatus(e.target.value as AgentStatusFilter)}>
              {FILTERS.map((f) => (
                <option key={f} value={f}>
                  {f === 'all' ? t.common.all : t.status[f]}
                </option>
              ))}
            </select>
          </div>
        }
      />
      <div className="card">
        <QueryState query={agents} lines={5}>{(data) => <AgentsTable agents={data.agents} />}</QueryState>
      </div>
    </div>
  );
}
