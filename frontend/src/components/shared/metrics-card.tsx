import type { ReactNode } from 'react';

export function MetricsCard({ title, value, hint, testId }: { title: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div className="card metric" data-testid={testId}>
      <p className="metric-title">{title}</p>
      <div className="metric-value">{value}</div>
      {hint && <p className="metric-hint">{hint}</p>}
    </div>
  );
}

export function MetricsGrid({ children, label }: { children: ReactNode; label: string }) {
  return (
    <section className="metrics-grid" aria-label={label}>
      {children}
    </section>
  );
}
