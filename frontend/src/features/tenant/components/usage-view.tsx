'use client';

import { useId, useState } from 'react';
import { MetricsCard, MetricsGrid } from '@/components/shared/metrics-card';
import { PeriodSelect } from '@/components/shared/period-select';
import { RequestsTable } from '@/components/shared/requests-table';
import { Section } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import type { Period } from '@/lib/api/types';
import { formatDay, formatInteger, formatMillis, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';
import { useTenantAgents, useTenantUsage } from '../api/queries';
import { UsageChart } from './usage-chart';

/** Usage over 7/30/90 days, optionally of one agent: totals, daily chart and table, per agent. */
export function UsageView({ tenantId }: { tenantId?: string }) {
  const [period, setPeriod] = useState<Period>('30d');
  const [agentId, setAgentId] = useState('');
  const agents = useTenantAgents('all', tenantId);
  const usage = useTenantUsage(period, agentId || undefined, tenantId);
  const agentSelect = useId();

  return (
    <div className="stack">
      <div className="toolbar">
        <PeriodSelect value={period} onChange={setPeriod} />
        <div className="field inline">
          <label htmlFor={agentSelect}>{t.usage.agent}</label>
          <select id={agentSelect} value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            <option value="">{t.usage.allAgents}</option>
            {agents.data?.agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={usage} lines={6}>
        {(data) => (
          <div className="stack" aria-busy={usage.isFetching} data-period={data.period}>
            <MetricsGrid label={t.usage.title}>
              <MetricsCard title={t.usage.total} value={formatInteger(data.summary.total_requests)} testId="usage-total" />
              <MetricsCard title={t.usage.successful} value={formatInteger(data.summary.successful_requests)} />
              <MetricsCard title={t.usage.failed} value={formatInteger(data.summary.failed_requests)} />
              <MetricsCard title={t.usage.successRate} value={formatRate(data.summary.success_rate)} />
              <MetricsCard title={t.usage.avgTime} value={formatMillis(data.summary.avg_response_time_ms)} />
            </MetricsGrid>
            <Section title={t.usage.daily} id="usage-daily">
              <UsageChart usage={data} />
              <details className="table-details">
                <summary>{t.common.table}</summary>
                <div className="table-wrap">
                  <table data-testid="usage-daily-table">
                    <thead>
                      <tr>
                        <th scope="col">{t.usage.date}</th>
                        <th scope="col" className="num">{t.usage.total}</th>
                        <th scope="col" className="num">{t.usage.successful}</th>
                        <th scope="col" className="num">{t.usage.failed}</th>
                        <th scope="col" className="num">{t.usage.avgTime}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.daily_data.map((day) => (
                        <tr key={day.date}>
                          <th scope="row">{formatDay(day.date)}</th>
                          <td className="num">{formatInteger(day.total_requests)}</td>
                          <td className="num">{formatInteger(day.successful_requests)}</td>
                          <td className="num">{formatInteger(day.failed_requests)}</td>
                          <td className="num">{formatMillis(day.avg_response_time_ms)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </Section>
            <Section title={t.usage.byAgent} id="usage-by-agent">
              <RequestsTable
                rows={data.by_agent.map((row) => ({ ...row, key: row.agent_id ?? 'none', label: row.agent_name }))}
                columns={{ name: t.usage.agent, total: t.usage.total, rate: t.usage.successRate }}
              />
            </Section>
          </div>
        )}
      </QueryState>
    </div>
  );
}
