import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState } from '@/components/shared/states';
import type { TenantAgent } from '@/lib/api/types';
import { formatDateTime, formatInteger, formatMillis, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

export function AgentsTable({ agents, compact = false }: { agents: readonly TenantAgent[]; compact?: boolean }) {
  if (agents.length === 0) return <EmptyState message={t.agents.none} />;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.agents.name}</th>
            <th scope="col">{t.agents.status}</th>
            {!compact && <th scope="col">{t.agents.segment}</th>}
            <th scope="col" className="num">{t.agents.requests}</th>
            <th scope="col" className="num">{t.agents.successRate}</th>
            {!compact && <th scope="col" className="num">{t.agents.avgTime}</th>}
            {!compact && <th scope="col">{t.agents.activatedAt}</th>}
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.id}>
              <th scope="row">{agent.name}</th>
              <td><StatusBadge status={agent.status} /></td>
              {!compact && <td>{t.segments[agent.segment] ?? agent.segment}</td>}
              <td className="num">{formatInteger(agent.usage_last_30_days.total_requests)}</td>
              <td className="num">{formatRate(agent.usage_last_30_days.success_rate)}</td>
              {!compact && <td className="num">{formatMillis(agent.usage_last_30_days.avg_response_time_ms)}</td>}
              {!compact && <td>{formatDateTime(agent.activated_at)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
