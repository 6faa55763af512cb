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
 * Appends a command's audit row unless the command already has one of this type (the unique
 * (command_id, event_type) index): retries and duplicate deliveries complete the trail, never
 * double it. The tenant is written only if it still exists, so a deleted tenant cannot make the
 * audit row fail.
 */
export async function recordCommandEvent(db: Db, event: CommandEvent): Promise<void> {
  await db.execute(
    `INSERT INTO ${S}.operational_events (command_id, event_type, severity, tenant_id, user_sub, title, description, metadata)
     SELECT :command_id, :event_type, :severity, (SELECT t.id FROM ${S}.tenants t WHERE t.id = CAST(:tenant_id AS uuid)),
            :user_sub, :title, :description, :metadata
     ON CONFLICT (command_id, event_type) WHERE command_id IS NOT NULL DO NOTHING`,
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
 * the tenant no longer has that agent; a null restart_count with a status = refused.
 */
export async function restartTenantAgent(db: Db, tenantId: string, agentId: string, at: Date) {
  return (await db.json(
    `WITH target AS (
       SELECT ta.id, ta.status FROM ${S}.tenant_agents ta
       WHERE ta.tenant_id = :tenant_id AND ta.agent_id = :agent_id
       FOR UPDATE
     ), restarted AS (
       UPDATE ${S}.tenant_agents ta
       SET status = 'active', deactivated_at = NULL, restarted_at = :at, restart_count = ta.restart_count + 1
       FROM target WHERE ta.id = target.id AND target.status <> 'suspended'
       RETURNING ta.restart_count, ta.restarted_at
     )
     SELECT json_build_object(
       'previous_status', (SELECT status FROM target),
       'restart_count', (SELECT restart_count FROM restarted),
       'restarted_at', (SELECT ${S}.iso_utc(restarted_at) FROM restarted)
     ) AS body`,
    { tenant_id: p.uuid(tenantId), agent_id: p.uuid(agentId), at: p.timestamp(at) },
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
 * + 1); the same command running again changes nothing.
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
     SELECT json_build_object(
       'failed_requests', (SELECT count(*) FROM failed),
       'newly_queued', (SELECT count(*) FROM queued WHERE inserted),
       'requeued', (SELECT count(*) FROM queued WHERE NOT inserted)
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
