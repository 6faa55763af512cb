'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys, staleTimeOf, useApi } from '@/lib/api/client';
import type { BillingOverview, Period } from '@/lib/api/types';

export function useBillingOverview(period: Period, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.internal.billing(period),
    queryFn: () => api.get<BillingOverview>('/internal/billing/overview', { period }),
    staleTime: staleTimeOf('getBillingOverview'),
    placeholderData: keepPreviousData,
    enabled,
  });
}
