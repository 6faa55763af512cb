'use client';

import { useCallback, useMemo } from 'react';
import { ROUTES, type RouteId } from '../../../../lambda/routes';
import { useSession } from '../auth/session';
import type { AgentStatusFilter, ApiErrorBody, ListTenantsQuery, Period } from './types';

/**
 * The one API client: every call to the API goes through `useApi()`, which adds the ID token,
 * turns the error shape into `ApiError` and sends a 401 back to sign-in. Query keys come from
 * `queryKeys`; each query's freshness from the route's cache lifetime in the route manifest.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ApiErrorBody['error']['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How long a route's answer is fresh: its `Cache-Control: max-age`, declared once in lambda/routes.ts. */
export function staleTimeOf(id: RouteId): number {
  return (ROUTES.find((r) => r.id === id)?.cacheSeconds ?? 0) * 1000;
}

type Params = Record<string, string | number | undefined | null>;

function query(params: Params | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface ApiClient {
  get<T>(path: string, params?: Params): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
}

export function useApi(): ApiClient {
  const { state, idToken, signOut } = useSession();
  const apiUrl = state.status === 'authenticated' ? state.config.apiUrl : null;

  const request = useCallback(
    async <T,>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> => {
      const token = await idToken();
      if (!apiUrl || !token) {
        await signOut('expired');
        throw new ApiError(401, 'UNAUTHORIZED', 'not signed in');
      }
      let res: Response;
      try {
        res = await fetch(`${apiUrl}${path}`, {
          method,
          // The app's cache is React Query's, per session and cleared at sign-in and sign-out. The
          // browser's HTTP cache is never read nor written: a response stored for one user must not
          // answer another who signs in on the same browser (the API also sends Vary: Authorization).
          cache: 'no-store',
          headers: { Authorization: token, ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      } catch {
        throw new ApiError(0, 'NETWORK', 'network');
      }
      const payload = (await res.json().catch(() => null)) as unknown;
      if (res.status === 401) {
        await signOut('expired');
        throw new ApiError(401, 'UNAUTHORIZED', 'session expired');
      }
      if (!res.ok) {
        const error = (payload as ApiErrorBody | null)?.error;
        throw new ApiError(res.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${res.status}`, error?.details);
      }
      return payload as T;
    },
    [apiUrl, idToken, signOut],
  );

  return useMemo(
    () => ({
      get: <T,>(path: string, params?: Params) => request<T>('GET', `${path}${query(params)}`),
      post: <T,>(path: string, body: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
    }),
    [request],
  );
}

/** Query-key factories: one tree per API area, so invalidation can target a branch. */
export const queryKeys = {
  tenant: {
    all: ['tenant'] as const,
    scope: (tenantId: string | undefined) => ['tenant', tenantId ?? 'self'] as const,
    me: (tenantId?: string) => [...queryKeys.tenant.scope(tenantId), 'me'] as const,
    agents: (tenantId: string | undefined, status: AgentStatusFilter) => [...queryKeys.tenant.scope(tenantId), 'agents', status] as const,
    integrations: (tenantId?: string) => [...queryKeys.tenant.scope(tenantId), 'integrations'] as const,
    usage: (tenantId: string | undefined, period: Period, agentId?: string) => [...queryKeys.tenant.scope(tenantId), 'usage', period, agentId ?? 'all'] as const,
    incidents: (tenantId: string | undefined, limit: number, offset: number) => [...queryKeys.tenant.scope(tenantId), 'incidents', limit, offset] as const,
  },
  internal: {
    all: ['internal'] as const,
    tenants: (filters: ListTenantsQuery) => ['internal', 'tenants', 'list', filters] as const,
    tenant: (id: string) => ['internal', 'tenants', 'detail', id] as const,
    tenantAgents: (id: string) => ['internal', 'tenants', 'detail', id, 'agents'] as const,
    usageOverview: (period: Period) => ['internal', 'usage-overview', period] as const,
    billing: (period: Period) => ['internal', 'billing', period] as const,
    commands: (filters: { status?: string; command_type?: string; tenant_id?: string }) => ['internal', 'commands', filters] as const,
  },
};

/** Retry transient failures only: a 4xx will not get better. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}
