'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys, staleTimeOf, useApi } from '@/lib/api/client';
import type { AgentStatusFilter, Period, TenantAgents, TenantIncidents, TenantIntegrations, TenantMe, TenantUsage } from '@/lib/api/types';

/** /tenant/* reads. `tenantId` only for staff (the API takes a tenant user's tenant from the token). */
export function useTenantMe(tenantId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tenant.me(tenantId),
    queryFn: () => api.get<TenantMe>('/tenant/me', { tenant_id: tenantId }),
    staleTime: staleTimeOf('getTenantMe'),
  });
}

export function useTenantAgents(status: AgentStatusFilter, tenantId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tenant.agents(tenantId, status),
    queryFn: () => api.get<TenantAgents>('/tenant/agents', { status, tenant_id: tenantId }),
    staleTime: staleTimeOf('listTenantAgents'),
    placeholderData: keepPreviousData,
  });
}

export function useTenantIntegrations(enabled: boolean, tenantId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tenant.integrations(tenantId),
    queryFn: () => api.get<TenantIntegrations>('/tenant/integrations', { tenant_id: tenantId }),
    staleTime: staleTimeOf('listTenantIntegrations'),
    enabled,
  });
}

export function useTenantUsage(period: Period, agentId?: string, tenantId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tenant.usage(tenantId, period, agentId),
    queryFn: () => api.get<TenantUsage>('/tenant/usage', { period, agent_id: agentId, tenant_id: tenantId }),
    staleTime: staleTimeOf('getTenantUsage'),
    placeholderData: keepPreviousData,
  });
}

export function useTenantIncidents(limit: number, offset: number, tenantId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tenant.incidents(tenantId, limit, offset),
    queryFn: () => api.get<TenantIncidents>('/tenant/incidents', { limit, offset, tenant_id: tenantId }),
    staleTime: staleTimeOf('listTenantIncidents'),
    placeholderData: keepPreviousData,
  });
}
