'use client';

import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '@/lib/api/client';
import { t } from '@/lib/i18n/pt-br';

export function Skeleton({ lines = 3, label = t.common.loading }: { lines?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ message = t.common.empty }: { message?: string }) {
  return <p className="empty">{message}</p>;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t.errors.network;
    if (error.status === 403) return t.errors.forbidden;
    if (error.status === 404) return t.errors.notFound;
    if (error.status >= 500) return t.errors.server;
    return error.message;
  }
  return t.common.errorTitle;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="error-state" role="alert">
      <p>
        <strong>{t.common.errorTitle}</strong> {errorMessage(error)}
      </p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t.common.retry}
        </button>
      )}
    </div>
  );
}

/** Loading → skeleton, error → message with retry, else the content. */
export function QueryState<T>({ query, children, lines }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; lines?: number }) {
  if (query.isPending) return <Skeleton lines={lines} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
