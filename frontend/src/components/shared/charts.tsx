'use client';

import dynamic from 'next/dynamic';
import { Skeleton } from './states';

export type { Series, TimeSeriesChartProps } from './charts-impl';

/** Recharts is only downloaded when a page draws a chart. */
export const TimeSeriesChart = dynamic(() => import('./charts-impl'), { ssr: false, loading: () => <Skeleton lines={5} /> });
