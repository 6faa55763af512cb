import type { UsageOverview } from '@/lib/api/types';
import { formatInteger } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

/** The platform's most used agents (usage overview), on the staff overview and the agents page. */
export function TopAgentsTable({ agents, requestsLabel }: { agents: UsageOverview['top_agents_by_usage']; requestsLabel: string }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.agents.name}</th>
            <th scope="col" className="num">{t.company.deployed}</th>
            <th scope="col" className="num">{requestsLabel}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((row) => (
            <tr key={row.agent_id}>
              <th scope="row">{row.agent_name}</th>
              <td className="num">{formatInteger(row.deployed_count)}</td>
              <td className="num">{formatInteger(row.total_requests)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
