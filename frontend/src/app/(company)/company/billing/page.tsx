'use client';

import { useState } from 'react';
import { RequireGroup } from '@/components/shared/app-shell';
import { TimeSeriesChart } from '@/components/shared/charts';
import { MetricsCard, MetricsGrid } from '@/components/shared/metrics-card';
import { PeriodSelect } from '@/components/shared/period-select';
import { PageHeader, Section } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import { useBillingOverview } from '@/features/billing/api/queries';
import type { Period } from '@/lib/api/types';
import { canSeeBilling } from '@/lib/auth/permissions';
import { formatBRL, formatBRLCompact, formatInteger } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

function Breakdown({ rows, label }: { rows: Array<{ key: string; name: string; tenants: number; mrr: number }>; label: string }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">{t.billing.tenants}</th>
            <th scope="col" className="num">{t.billing.mrr}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <td className="num">{formatInteger(row.tenants)}</td>
              <td className="num">{formatBRL(row.mrr)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Billing() {
  const [period, setPeriod] = useState<Period>('30d');
  const billing = useBillingOverview(period);
  return (
    <div className="stack">
      <PeriodSelect value={period} onChange={setPeriod} />
      <QueryState query={billing} lines={6}>
        {(data) => (
          <>
            <MetricsGrid label={t.billing.title}>
              <MetricsCard title={t.billing.mrr} value={formatBRL(data.financial_summary.total_mrr)} />
              <MetricsCard title={t.billing.arr} value={formatBRL(data.financial_summary.total_arr)} />
              <MetricsCard title={t.billing.avgMrr} value={formatBRL(data.financial_summary.avg_mrr_per_tenant)} />
              <MetricsCard title={t.billing.newMrr} value={formatBRL(data.financial_summary.new_mrr_this_period)} />
              <MetricsCard title={t.billing.churnedMrr} value={formatBRL(data.financial_summary.churned_mrr_this_period)} />
            </MetricsGrid>
            <Section title={t.billing.revenueTrend} id="billing-trend">
              <TimeSeriesChart
                data={data.revenue_trend}
                label={t.billing.revenueTrend}
                format={formatBRLCompact}
                series={[{ key: 'mrr', label: t.billing.mrr, color: '#166534', type: 'line' }]}
              />
            </Section>
            <div className="grid-2">
              <Section title={t.billing.byPlan} id="billing-plan">
                <Breakdown label={t.tenants.plan} rows={data.by_plan.map((r) => ({ key: r.plan_name, name: t.plans[r.plan_name] ?? r.plan_name, tenants: r.tenant_count, mrr: r.total_mrr }))} />
              </Section>
              <Section title={t.billing.bySegment} id="billing-segment">
                <Breakdown label={t.tenants.segment} rows={data.by_segment.map((r) => ({ key: r.segment, name: t.segments[r.segment] ?? r.segment, tenants: r.tenant_count, mrr: r.total_mrr }))} />
              </Section>
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}

export default function BillingPage() {
  return (
    <div className="stack">
      <PageHeader title={t.billing.title} />
      <RequireGroup allow={canSeeBilling} message={t.billing.adminOnly}>
        <Billing />
      </RequireGroup>
    </div>
  );
}
