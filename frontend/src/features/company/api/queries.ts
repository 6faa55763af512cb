'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys, staleTimeOf, useApi } from '@/lib/api/client';
import type { InternalTenantAgents, ListTenants, ListTenantsQuery, Period, TenantDetail, UsageOverview } from '@/lib/api/types';

/** /internal/* reads of the staff area. */
export function useTenantsList(filters: ListTenantsQuery) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.internal.tenants(filters),
    queryFn: () => api.get<ListTenants>('/internal/tenants', { ...filters }),
    staleTime: staleTimeOf('listTenants'),
    placeholderData: keepPreviousData,
  });
}

export function useTenantDetail(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.internal.tenant(id ?? ''),
    queryFn: () => api.get<TenantDetail>(`/internal/tenants/${encodeURIComponent(id!)}`),
    staleTime: staleTimeOf('getTenantDetail'),
    enabled: Boolean(id),
  });
}

export function useInternalTenantAgents(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.internal.tenantAgents(id ?? ''),
    queryFn: () => api.get<InternalTenantAgents>(`/internal/tenants/${encodeURIComponent(id!)}/agents`),
    staleTime: staleTimeOf('listTenantAgentsInternal'),
    enabled: Boolean(id),
  });
}

export function useUsageOverview(period: Period) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.internal.usageOverview(period),
    queryFn: () => api.get<UsageOverview>('/internal/usage/overview', { period }),
    staleTime: staleTimeOf('getUsageOverview'),
    placeholderData: keepPreviousData,
  });
}
