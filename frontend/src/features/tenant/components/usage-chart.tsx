'use client';

import { TimeSeriesChart } from '@/components/shared/charts';
import type { TenantUsage } from '@/lib/api/types';
import { formatInteger } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

/** Requests per day, successful and failed stacked. */
export function UsageChart({ usage, height }: { usage: TenantUsage; height?: number }) {
  return (
    <TimeSeriesChart
      data={usage.daily_data}
      label={t.usage.chartLabel(usage.daily_data.length)}
      format={formatInteger}
      height={height}
      series={[
        { key: 'successful_requests', label: t.usage.successSeries, color: '#1d6f42', type: 'bar', stack: 'r' },
        { key: 'failed_requests', label: t.usage.failedSeries, color: '#b42318', type: 'bar', stack: 'r' },
      ]}
    />
  );
}
