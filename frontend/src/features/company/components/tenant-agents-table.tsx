import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState } from '@/components/shared/states';
import type { InternalTenantAgents } from '@/lib/api/types';
import { formatDateTime, formatInteger, formatMillis, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

/** A tenant's agents with their configuration and usage statistics (staff only). */
export function TenantAgentsTable({ agents }: { agents: InternalTenantAgents['agents'] }) {
  if (agents.length === 0) return <EmptyState message={t.agents.none} />;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.agents.name}</th>
            <th scope="col">{t.agents.status}</th>
            <th scope="col" className="num">{t.agents.requests}</th>
            <th scope="col" className="num">{t.agents.successRate}</th>
            <th scope="col" className="num">{t.agents.avgTime}</th>
            <th scope="col">{t.agents.lastRequest}</th>
            <th scope="col">{t.agents.config}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.id}>
              <th scope="row">{agent.name}</th>
              <td><StatusBadge status={agent.status} /></td>
              <td className="num">{formatInteger(agent.usage_stats.total_requests)}</td>
              <td className="num">{formatRate(agent.usage_stats.success_rate)}</td>
              <td className="num">{formatMillis(agent.usage_stats.avg_response_time_ms)}</td>
              <td>{formatDateTime(agent.usage_stats.last_request_at)}</td>
              <td>
                <details>
                  <summary>{t.agents.config}</summary>
                  <pre>{JSON.stringify(agent.config, null, 1)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
