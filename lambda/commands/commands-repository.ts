import * as z from '../shared/zod';
import { type Db, p } from '../shared/db';

/** SQL of the operational commands: target checks, the audit trail and each command's effect. */
const S = 'alquimista_platform';

const StatusCountsSchema = z.record(z.string(), z.int());

export const CommandTargetsSchema = z.object({
  tenant: z.nullable(z.object({ status: z.string() })),
  agent: z.nullable(z.object({ status: z.string() })),
  integration: z.nullable(z.object({ status: z.string() })),
});
export type CommandTargets = z.infer<typeof CommandTargetsSchema>;

/** What the named tenant, agent and integration are (null when absent or not the tenant's), in one call. */
export async function findCommandTargets(db: Db, ids: { tenantId?: string; agentId?: string; integrationId?: string }): Promise<CommandTargets> {
  const found = await db.json(
    `SELECT json_build_object(
       'tenant', (SELECT json_build_object('status', t.status) FROM ${S}.tenants t WHERE t.id = CAST(:tenant_id AS uuid)),
       'agent', (SELECT json_build_object('status', ta.status) FROM ${S}.tenant_agents ta
                 WHERE ta.tenant_id = CAST(:tenant_id AS uuid) AND ta.agent_id = CAST(:agent_id AS uuid)),
       'integration', (SELECT json_build_object('status', i.status) FROM ${S}.tenant_integrations i
                       WHERE i.tenant_id = CAST(:tenant_id AS uuid) AND i.id = CAST(:integration_id AS uuid))
     ) AS body`,
    { tenant_id: p.uuid(ids.tenantId ?? null), agent_id: p.uuid(ids.agentId ?? null), integration_id: p.uuid(ids.integrationId ?? null) },
    CommandTargetsSchema,
  );
  return found!;
}

export type CommandEventType = 'command_created' | 'command_executed' | 'command_failed';

export interface CommandEvent {
  commandId: string;
  eventType: CommandEventType;
  severity: 'info' | 'warning' | 'error';
  tenantId: string | null;
  userSub: string;
  title: string;
  description?: string;
  metadata: Record<string, unknown>;
}

/**
 * Appends a command's audit row unless it already has one of this type (the unique (command_id,
 * event_type) index) or, for an outcome, any outcome (migration 0010: one per command). Retries
 * and duplicate deliveries complete the trail, never double it; a statement sent twice inserts
 * once. The tenant is written only if it still exists, so a deleted tenant cannot make the audit
 * row fail. Resolves true when this call inserted the row.
 */
export async function recordCommandEvent(db: Db, event: CommandEvent): Promise<boolean> {
  const { updated } = await db.execute(
    `INSERT INTO ${S}.operational_events (command_id, event_type, severity, tenant_id, user_sub, title, description, metadata)
     SELECT :command_id, :event_type, :severity, (SELECT t.id FROM ${S}.tenants t WHERE t.id = CAST(:tenant_id AS uuid)),
            :user_sub, :title, :description, :metadata
     ON CONFLICT DO NOTHING`,
    {
      command_id: p.uuid(event.commandId),
      event_type: p.text(event.eventType),
      severity: p.text(event.severity),
      tenant_id: p.uuid(event.tenantId),
      user_sub: p.text(event.userSub),
      title: p.text(event.title),
      description: p.text(event.description ?? null),
      metadata: p.json(event.metadata),
    },
  );
  return updated === 1;
}

/**
 * Serializes everything done for one command until the transaction ends: the processor, a
 * re-drive by the sweeper, the sweeper giving up and a creation being cancelled all take it before
 * they look for the command's outcome, so they never both run the effect. (A transaction-scoped
 * advisory lock keyed by the command id; the void function is wrapped so that no column of a type
 * the Data API cannot return comes back.)
 */
export async function lockCommand(tx: Db, commandId: string): Promise<void> {
  await tx.query(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(:command_id, 0))) l`, { command_id: p.text(commandId) });
}

const OutcomeRowSchema = z.object({
  event_type: z.enum(['command_executed', 'command_failed']),
  description: z.nullable(z.string()),
  output: z.nullable(z.string()),
});

/** A command's outcome as recorded (SUCCESS with its output's JSON text, or ERROR with its message); undefined when it has none yet. */
export async function findCommandOutcome(db: Db, commandId: string): Promise<{ status: 'SUCCESS'; output: string } | { status: 'ERROR'; errorMessage: string } | undefined> {
  const row = await db.one(
    `SELECT e.event_type, e.description, CAST(e.metadata -> 'output' AS text) AS output
     FROM ${S}.operational_events e
     WHERE e.command_id = :command_id AND e.event_type IN ('command_executed', 'command_failed')`,
    { command_id: p.uuid(commandId) },
    { schema: OutcomeRowSchema },
  );
  if (!row) return undefined;
  return row.event_type === 'command_executed' ? { status: 'SUCCESS', output: row.output ?? '{}' } : { status: 'ERROR', errorMessage: row.description ?? 'Failed' };
}

/**
 * Commands whose creation was recorded between `from` and `to` (ISO instants) but that have no
 * outcome: at most `limit`, oldest first (the sweeper checks that each still exists).
 */
export async function findUnsettledCreations(db: Db, window: { from: string; to: string }, limit: number) {
  return db.query(
    `SELECT CAST(c.command_id AS text) AS command_id, c.tenant_id, c.user_sub, CAST(c.metadata AS text) AS metadata, ${S}.iso_utc(c.created_at) AS created_at
     FROM ${S}.operational_events c
     WHERE c.event_type = 'command_created' AND c.created_at >= :from AND c.created_at < :to
       AND NOT EXISTS (SELECT 1 FROM ${S}.operational_events o
                       WHERE o.command_id = c.command_id AND o.event_type IN ('command_executed', 'command_failed'))
     ORDER BY c.created_at
     LIMIT :limit`,
    { from: p.timestamp(window.from), to: p.timestamp(window.to), limit: p.int(limit) },
    { schema: z.object({ command_id: z.string(), tenant_id: z.nullable(z.string()), user_sub: z.string(), metadata: z.string(), created_at: z.string() }) },
  );
}

/** Tenant names by id, for one page of commands. */
export async function findTenantNames(db: Db, tenantIds: readonly string[]): Promise<Map<string, string>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT t.id, t.name FROM ${S}.tenants t WHERE t.id = ANY(CAST(:ids AS uuid[]))`,
    { ids: p.uuidList([...new Set(tenantIds)]) },
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

export const RestartResultSchema = z.object({
  previous_status: z.nullable(z.string()),
  restart_count: z.nullable(z.int()),
  restarted_at: z.nullable(z.string()),
});

/**
 * RESTART_AGENT: records the restart and returns the agent to active, unless it is suspended
 * (a suspension is a decision, not a fault; a restart must not undo it). Null previous_status =
 * the tenant no longer has that agent; a null restart_count with a status = refused. The restart
 * is tagged with its command: sent again (a retried call), the statement restarts nothing and
 * answers with that command's restart.
 */
export async function restartTenantAgent(db: Db, tenantId: string, agentId: string, at: Date, commandId: string) {
  return (await db.json(
    `WITH target AS (
       SELECT ta.id, ta.status, ta.restart_count, ta.restarted_at, ta.last_restart_command_id, ta.last_restart_previous_status
       FROM ${S}.tenant_agents ta
       WHERE ta.tenant_id = :tenant_id AND ta.agent_id = :agent_id
       FOR UPDATE
     ), restarted AS (
       UPDATE ${S}.tenant_agents ta
       SET status = 'active', deactivated_at = NULL, restarted_at = :at, restart_count = ta.restart_count + 1,
           last_restart_command_id = :command_id, last_restart_previous_status = target.status
       FROM target
       WHERE ta.id = target.id AND target.status <> 'suspended' AND target.last_restart_command_id IS DISTINCT FROM :command_id
       RETURNING ta.restart_count, ta.restarted_at
     ), already AS (
       SELECT last_restart_previous_status AS previous_status, restart_count, restarted_at FROM target
       WHERE last_restart_command_id = :command_id
     )
     SELECT json_build_object(
       'previous_status', coalesce((SELECT previous_status FROM already), (SELECT status FROM target)),
       'restart_count', coalesce((SELECT restart_count FROM restarted), (SELECT restart_count FROM already)),
       'restarted_at', ${S}.iso_utc(coalesce((SELECT restarted_at FROM restarted), (SELECT restarted_at FROM already)))
     ) AS body`,
    { tenant_id: p.uuid(tenantId), agent_id: p.uuid(agentId), at: p.timestamp(at), command_id: p.uuid(commandId) },
    RestartResultSchema,
  ))!;
}

export const IntegrationSecretSchema = z.object({ tenant_id: z.string(), integration_type: z.string(), credentials_secret_arn: z.nullable(z.string()) });

/** The integration RESET_TOKEN rotates (null when it is not the tenant's). */
export async function findIntegrationSecret(db: Db, tenantId: string, integrationId: string) {
  return db.one(
    `SELECT i.tenant_id, i.integration_type, i.credentials_secret_arn
     FROM ${S}.tenant_integrations i WHERE i.tenant_id = :tenant_id AND i.id = :integration_id`,
    { tenant_id: p.uuid(tenantId), integration_id: p.uuid(integrationId) },
    { schema: IntegrationSecretSchema },
  );
}

/** After a rotation: the integration points at its (possibly new) secret, error cleared, active. */
export async function markIntegrationRotated(db: Db, tenantId: string, integrationId: string, secretArn: string): Promise<boolean> {
  const { updated } = await db.execute(
    `UPDATE ${S}.tenant_integrations
     SET credentials_secret_arn = :arn, last_error = NULL, status = 'active'
     WHERE tenant_id = :tenant_id AND id = :integration_id`,
    { tenant_id: p.uuid(tenantId), integration_id: p.uuid(integrationId), arn: p.text(secretArn) },
  );
  return updated === 1;
}

export const ReprocessResultSchema = z.object({ failed_requests: z.int(), newly_queued: z.int(), requeued: z.int() });

/**
 * REPROCESS_QUEUE: puts the tenant's failed requests of the window into agent_request_retries,
 * each request once. A request already queued by another command counts as re-queued (attempts
 * + 1); the same command running again changes nothing, and its counts are read from what the
 * command's id is on (first queued by it, or re-queued by it), so a statement sent twice still
 * reports what the command did.
 */
export async function requeueFailedRequests(db: Db, input: { commandId: string; tenantId: string; agentId?: string; from: string; to: string }) {
  return (await db.json(
    `WITH failed AS (
       SELECT r.id, r.tenant_id, r.agent_id, r.created_at FROM ${S}.agent_requests r
       WHERE r.tenant_id = :tenant_id AND r.status = 'error'
         AND r.created_at >= :from AND r.created_at < :to
         AND (CAST(:agent_id AS uuid) IS NULL OR r.agent_id = CAST(:agent_id AS uuid))
     ), queued AS (
       INSERT INTO ${S}.agent_request_retries (request_id, tenant_id, agent_id, request_created_at, first_command_id, last_command_id)
       SELECT f.id, f.tenant_id, f.agent_id, f.created_at, :command_id, :command_id FROM failed f
       ON CONFLICT (request_id) DO UPDATE
         SET last_command_id = EXCLUDED.last_command_id, attempts = ${S}.agent_request_retries.attempts + 1, status = 'queued'
         WHERE ${S}.agent_request_retries.last_command_id <> EXCLUDED.last_command_id
       RETURNING (xmax = 0) AS inserted
     )
     , earlier AS (
       SELECT count(*) FILTER (WHERE r.first_command_id = CAST(:command_id AS uuid)) AS newly_queued,
              count(*) FILTER (WHERE r.first_command_id <> CAST(:command_id AS uuid)) AS requeued
       FROM ${S}.agent_request_retries r
       WHERE r.tenant_id = :tenant_id AND r.last_command_id = CAST(:command_id AS uuid)
     )
     SELECT json_build_object(
       'failed_requests', (SELECT count(*) FROM failed),
       'newly_queued', (SELECT count(*) FROM queued WHERE inserted) + (SELECT newly_queued FROM earlier),
       'requeued', (SELECT count(*) FROM queued WHERE NOT inserted) + (SELECT requeued FROM earlier)
     ) AS body`,
    {
      command_id: p.uuid(input.commandId),
      tenant_id: p.uuid(input.tenantId),
      agent_id: p.uuid(input.agentId ?? null),
      from: p.timestamp(input.from),
      to: p.timestamp(input.to),
    },
    ReprocessResultSchema,
  ))!;
}

export const TenantHealthSchema = z.object({
  tenant_status: z.string(),
  agents: StatusCountsSchema,
  integrations: StatusCountsSchema,
});

/** HEALTH_CHECK with a tenant: its agents and integrations counted by status. */
export async function findTenantHealth(db: Db, tenantId: string) {
  return db.json(
    `SELECT json_build_object(
       'tenant_status', t.status,
       'agents', (SELECT coalesce(json_object_agg(s.status, s.n), '{}') FROM
                   (SELECT ta.status, count(*) AS n FROM ${S}.tenant_agents ta WHERE ta.tenant_id = t.id GROUP BY ta.status) s),
       'integrations', (SELECT coalesce(json_object_agg(s.status, s.n), '{}') FROM
                   (SELECT i.status, count(*) AS n FROM ${S}.tenant_integrations i WHERE i.tenant_id = t.id GROUP BY i.status) s)
     ) AS body
     FROM ${S}.tenants t WHERE t.id = :tenant_id`,
    { tenant_id: p.uuid(tenantId) },
    TenantHealthSchema,
  );
}

/** HEALTH_CHECK's Aurora probe: the cheapest statement that still crosses the Data API. */
export async function ping(db: Db): Promise<void> {
  await db.query('SELECT 1 AS ok');
}
