'use client';

import Link from 'next/link';
import { useState } from 'react';
import { TimeSeriesChart } from '@/components/shared/charts';
import { MetricsCard, MetricsGrid } from '@/components/shared/metrics-card';
import { PeriodSelect } from '@/components/shared/period-select';
import { RequestsTable } from '@/components/shared/requests-table';
import { PageHeader, Section } from '@/components/shared/section';
import { EmptyState, QueryState, Skeleton } from '@/components/shared/states';
import { useBillingOverview } from '@/features/billing/api/queries';
import { useUsageOverview } from '@/features/company/api/queries';
import { TopAgentsTable } from '@/features/company/components/top-agents-table';
import { useTenantIncidents } from '@/features/tenant/api/queries';
import { IncidentsTable } from '@/features/tenant/components/incidents-table';
import type { Period } from '@/lib/api/types';
import { canSeeBilling } from '@/lib/auth/permissions';
import { useClaims } from '@/lib/auth/session';
import { formatBRL, formatBRLCompact, formatInteger, formatMillis, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

/** Incidents of the busiest tenant: the API has no cross-tenant incident list. */
function RecentIncidents({ tenantId }: { tenantId: string }) {
  const incidents = useTenantIncidents(5, 0, tenantId);
  return <QueryState query={incidents}>{(data) => <IncidentsTable incidents={data.incidents} />}</QueryState>;
}

export default function CompanyOverviewPage() {
  const claims = useClaims();
  const billingAllowed = canSeeBilling(claims);
  const [period, setPeriod] = useState<Period>('30d');
  const usage = useUsageOverview(period);
  const billing = useBillingOverview(period, billingAllowed);
  const topTenant = usage.data?.top_tenants_by_usage[0];

  return (
    <div className="stack">
      <PageHeader title={t.company.title} actions={<PeriodSelect value={period} onChange={setPeriod} />} />
      <QueryState query={usage} lines={4}>
        {(data) => (
          <MetricsGrid label={t.company.title}>
            <MetricsCard title={t.company.activeTenants} value={formatInteger(data.global_stats.active_tenants)} hint={`${formatInteger(data.global_stats.total_tenants)} no total`} />
            <MetricsCard title={t.company.agentsDeployed} value={formatInteger(data.global_stats.total_agents_deployed)} />
            <MetricsCard title={`${t.company.requests} (${t.periods[period]})`} value={formatInteger(data.global_stats.total_requests)} />
            <MetricsCard title={t.company.successRate} value={formatRate(data.global_stats.global_success_rate)} hint={formatMillis(data.global_stats.avg_response_time_ms)} />
            {billingAllowed && (
              <MetricsCard title={t.company.mrr} value={billing.data ? formatBRL(billing.data.financial_summary.total_mrr) : <Skeleton lines={1} />} />
            )}
          </MetricsGrid>
        )}
      </QueryState>
      <div className="grid-2">
        <Section title={t.company.usageTrend} id="usage-trend">
          <QueryState query={usage}>
            {(data) => (
              <TimeSeriesChart
                data={data.daily_trends}
                label={t.company.usageTrend}
                series={[{ key: 'total_requests', label: t.company.requests, color: '#1d4ed8', type: 'bar' }]}
              />
            )}
          </QueryState>
        </Section>
        {billingAllowed && (
          <Section title={t.company.revenueTrend} id="revenue-trend">
            <QueryState query={billing}>
              {(data) => (
                <TimeSeriesChart data={data.revenue_trend} label={t.company.revenueTrend} format={formatBRLCompact} series={[{ key: 'mrr', label: t.billing.mrr, color: '#166534', type: 'line' }]} />
              )}
            </QueryState>
          </Section>
        )}
      </div>
      <div className="grid-2">
        <Section title={t.company.topTenants} id="top-tenants">
          <QueryState query={usage}>
            {(data) => (
              <RequestsTable
                rows={data.top_tenants_by_usage.map((row) => ({ ...row, key: row.tenant_id, label: <Link href={`/company/tenants/detail/?id=${row.tenant_id}`}>{row.tenant_name}</Link> }))}
                columns={{ name: t.tenants.name, total: t.company.requests, rate: t.company.successRate }}
              />
            )}
          </QueryState>
        </Section>
        <Section title={t.company.topAgents} id="top-agents">
          <QueryState query={usage}>
            {(data) => <TopAgentsTable agents={data.top_agents_by_usage} requestsLabel={t.company.requests} />}
          </QueryState>
        </Section>
      </div>
      <Section title={t.company.recentIncidents} id="recent-incidents">
        <p className="hint">{t.company.recentIncidentsHint}</p>
        {topTenant ? <RecentIncidents tenantId={topTenant.tenant_id} /> : usage.isPending ? <Skeleton /> : <EmptyState message={t.incidents.none} />}
      </Section>
    </div>
  );
}
