'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatDay, formatDayShort } from '@/lib/format';

export interface Series {
  key: string;
  label: string;
  color: string;
  type: 'bar' | 'line';
  stack?: string;
}

export interface TimeSeriesChartProps {
  data: ReadonlyArray<Record<string, string | number>>;
  series: readonly Series[];
  label: string;
  format?: (value: number) => string;
  height?: number;
}

/** Days on x (UTC `YYYY-MM-DD`), bars and/or lines on y. Loaded lazily: see charts.tsx. */
export default function TimeSeriesChart({ data, series, label, format = formatCompact, height = 280 }: TimeSeriesChartProps) {
  return (
    <figure className="chart" aria-label={label} data-points={data.length} role="img">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data as Array<Record<string, string | number>>} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d6dbe3" />
          <XAxis dataKey="date" tickFormatter={(v: string) => formatDayShort(v)} minTickGap={16} tick={{ fontSize: 12, fill: '#374151' }} />
          <YAxis tickFormatter={(v: number) => format(v)} width={64} tick={{ fontSize: 12, fill: '#374151' }} />
          <Tooltip labelFormatter={(v) => formatDay(String(v))} formatter={(value) => format(Number(value))} />
          <Legend />
          {series.map((s) =>
            s.type === 'bar' ? (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={s.stack} isAnimationActive={false} />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} dot={false} strokeWidth={2} isAnimationActive={false} />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
