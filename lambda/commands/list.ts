import type { Db } from '../shared/db';
import type { CommandStore } from './command-store';
import { findTenantNames } from './commands-repository';
import type { CommandView, ListCommandsQuery, StoredCommand } from './schemas';

/**
 * GET /internal/operations/commands: one page from DynamoDB and the filter's total, then the
 * page's tenant names in one Data API call (none when no command on the page names a tenant).
 * A first page that ends the list (no cursor, no offset, nothing after it) holds every match, so
 * it is its own total: the count, which reads every matching item, runs only for other pages —
 * in parallel with the page when it is certainly needed, after it when the first page may be all.
 */
export async function listCommands(deps: { db: Db; store: CommandStore }, query: ListCommandsQuery) {
  const filter = { status: query.status === 'all' ? undefined : query.status, commandType: query.command_type, tenantId: query.tenant_id };
  const firstPage = !query.cursor && query.offset === 0;
  const [page, counted] = await Promise.all([
    deps.store.list(filter, query.limit, { offset: query.offset, cursor: query.cursor }),
    firstPage ? undefined : deps.store.count(filter),
  ]);
  const total = counted ?? (page.nextCursor === null ? page.items.length : await deps.store.count(filter));
  const names = await findTenantNames(deps.db, page.items.flatMap((c) => (c.tenant_id ? [c.tenant_id] : [])));
  return {
    commands: page.items.map((command) => toView(command, names)),
    total,
    limit: query.limit,
    next_cursor: page.nextCursor,
  };
}

function toView(command: StoredCommand, names: Map<string, string>): CommandView {
  return {
    command_id: command.command_id,
    command_type: command.command_type,
    status: command.status,
    tenant_id: command.tenant_id ?? null,
    // null as well for a tenant deleted since: the command outlives it
    tenant_name: command.tenant_id ? (names.get(command.tenant_id) ?? null) : null,
    parameters: command.parameters,
    created_by: command.created_by,
    created_at: command.created_at,
    started_at: command.started_at ?? null,
    completed_at: command.completed_at ?? null,
    output: command.output ?? null,
    error_message: command.error_message ?? null,
  };
}
