'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys, useApi } from '@/lib/api/client';
import type { CommandStatus, CommandType, CreateCommandBody, CreateCommandResponse, ListCommands } from '@/lib/api/types';

const FINAL: readonly CommandStatus[] = ['SUCCESS', 'ERROR'];
/** The history polls while any listed command has not ended (the route is not cached: no-store). */
const POLL_MS = 1500;

export interface CommandFilters {
  status?: CommandStatus;
  command_type?: CommandType;
  tenant_id?: string;
}

export function useCommands(filters: CommandFilters, limit = 20) {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.internal.commands({ ...filters }), limit],
    queryFn: () => api.get<ListCommands>('/internal/operations/commands', { ...filters, limit }),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.commands.some((c) => !FINAL.includes(c.status)) ? POLL_MS : false),
  });
}

export function useCreateCommand() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // One key per submission: a network retry of the same click cannot create a second command.
    mutationFn: ({ body, idempotencyKey }: { body: CreateCommandBody; idempotencyKey: string }) =>
      api.post<CreateCommandResponse>('/internal/operations/commands', body, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['internal', 'commands'] }),
  });
}
