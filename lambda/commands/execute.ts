import { randomBytes } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, ResourceExistsException, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import * as z from '../shared/zod';
import { UuidSchema } from '../shared/http/schemas';
import {
  findIntegrationSecret,
  findTenantHealth,
  markIntegrationRotated,
  ping,
  requeueFailedRequests,
  restartTenantAgent,
} from './commands-repository';
import type { CommandDeps } from './deps';
import type { CommandType, StoredCommand } from './schemas';

/**
 * The four commands' effects. Each returns its structured output (stored as JSON text on the
 * command) or throws a CommandFailure, whose message becomes the command's error_message.
 */

/** An expected, explainable failure: the command ends in ERROR with this message. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

type ExecuteDeps = Pick<CommandDeps, 'db' | 'dynamo' | 'secrets' | 'env' | 'now'>;
type Executor = (deps: ExecuteDeps, command: StoredCommand) => Promise<Record<string, unknown>>;

export function executeCommand(deps: ExecuteDeps, command: StoredCommand): Promise<Record<string, unknown>> {
  return EXECUTORS[command.command_type](deps, command);
}

/** The stored parameters, checked again: the item may have been written by something other than the API. */
function targetOf<S extends z.core.$ZodType>(command: StoredCommand, schema: S): z.infer<S> {
  const result = z.safeParse(schema, { tenant_id: command.tenant_id, ...command.parameters });
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join('.') || 'parameters'}: ${issue.message}`).join('; ');
    throw new CommandFailure(`Invalid parameters (${fields})`);
  }
  return result.data;
}

const since = (start: bigint) => Number((process.hrtime.bigint() - start) / 1_000_000n);

async function probe<T>(fn: () => Promise<T>): Promise<{ ok: true; latency_ms: number; value: T } | { ok: false; latency_ms: number; error: string }> {
  const start = process.hrtime.bigint();
  try {
    const value = await fn();
    return { ok: true, latency_ms: since(start), value };
  } catch (error) {
    return { ok: false, latency_ms: since(start), error: error instanceof Error ? error.name : 'Error' };
  }
}

const healthCheck: Executor = async (deps, command) => {
  const { tenant_id } = targetOf(command, z.object({ tenant_id: z.optional(UuidSchema) }));
  const [aurora, table] = await Promise.all([
    probe(() => ping(deps.db)),
    probe(() => deps.dynamo.send(new DescribeTableCommand({ TableName: deps.env.COMMANDS_TABLE }))),
  ]);
  const tenant = tenant_id ? await findTenantHealth(deps.db, tenant_id) : undefined;
  if (tenant_id && !tenant) throw new CommandFailure('The tenant no longer exists');

  const tableStatus = table.ok ? (table.value.Table?.TableStatus ?? 'UNKNOWN') : null;
  const healthy = aurora.ok && tableStatus === 'ACTIVE' && (tenant?.integrations.error ?? 0) === 0;
  return {
    status: healthy ? 'healthy' : 'degraded',
    checked_at: deps.now().toISOString(),
    aurora: aurora.ok ? { ok: true, latency_ms: aurora.latency_ms } : { ok: false, latency_ms: aurora.latency_ms, error: aurora.error },
    dynamodb: table.ok ? { ok: tableStatus === 'ACTIVE', latency_ms: table.latency_ms, table_status: tableStatus } : { ok: false, latency_ms: table.latency_ms, error: table.error },
    ...(tenant && { tenant: { tenant_id, ...tenant } }),
  };
};

const restartAgent: Executor = async (deps, command) => {
  const { tenant_id, agent_id } = targetOf(command, z.object({ tenant_id: UuidSchema, agent_id: UuidSchema }));
  const result = await restartTenantAgent(deps.db, tenant_id, agent_id, deps.now(), command.command_id);
  if (result.previous_status === null) throw new CommandFailure('The tenant no longer has this agent');
  if (result.restart_count === null) throw new CommandFailure('The agent is suspended for this tenant; a restart would not lift the suspension. Reactivate it first.');
  return { tenant_id, agent_id, previous_status: result.previous_status, status: 'active', restart_count: result.restart_count, restarted_at: result.restarted_at };
};

/**
 * Rotates the integration's credential: a new random token as the secret's current version.
 * The token exists only in the SecretString sent to Secrets Manager; the output says that it
 * changed, never what it is, nor where it lives (no ARN, no name).
 */
const resetToken: Executor = async (deps, command) => {
  const { tenant_id, integration_id } = targetOf(command, z.object({ tenant_id: UuidSchema, integration_id: UuidSchema }));
  const integration = await findIntegrationSecret(deps.db, tenant_id, integration_id);
  if (!integration) throw new CommandFailure('The integration no longer exists for this tenant');

  const rotatedAt = deps.now().toISOString();
  const secretString = JSON.stringify({ token: randomBytes(32).toString('base64url'), rotated_at: rotatedAt });
  // The new version's id is the command's (ClientRequestToken): run again, the command finds the
  // version it already wrote instead of rotating the credential a second time.
  const version = command.command_id;
  let written = integration.credentials_secret_arn ? await putSecret(deps, integration.credentials_secret_arn, secretString, version) : undefined;
  let created = false;
  if (!written) {
    // None recorded, or the recorded one was deleted: the integration gets a secret of its own.
    written = await createSecret(deps, `${deps.env.INTEGRATION_SECRET_PREFIX}${tenant_id}/${integration_id}`, secretString, integration.integration_type, version);
    created = true;
  }
  if (!(await markIntegrationRotated(deps.db, tenant_id, integration_id, written.arn))) {
    throw new CommandFailure('The integration was deleted while its credential was rotated');
  }
  return { tenant_id, integration_id, secret_created: created, version_id: written.versionId, rotated_at: rotatedAt, status: 'active' };
};

/**
 * PutSecretValue as version `versionId` (ClientRequestToken); undefined when the secret does not
 * exist. When that version already exists (this command wrote it before: Secrets Manager refuses
 * a second value under one token with ResourceExistsException), it is the rotation.
 */
async function putSecret(deps: ExecuteDeps, secretId: string, secretString: string, versionId: string) {
  try {
    const out = await deps.secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString, ClientRequestToken: versionId }));
    return { arn: out.ARN!, versionId: out.VersionId! };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    if (error instanceof ResourceExistsException) return writtenBefore(deps, secretId, versionId, error);
    throw error;
  }
}

async function createSecret(deps: ExecuteDeps, name: string, secretString: string, integrationType: string, versionId: string) {
  try {
    const out = await deps.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString: secretString, ClientRequestToken: versionId, Description: `Credential of a ${integrationType} integration (Painel Operacional)` }),
    );
    return { arn: out.ARN!, versionId: out.VersionId! };
  } catch (error) {
    // An earlier rotation created it but could not record it: rotate that one.
    if (!(error instanceof ResourceExistsException)) throw error;
    const existing = await putSecret(deps, name, secretString, versionId);
    if (!existing) throw error;
    return existing;
  }
}

/**
 * The version this command wrote earlier — listed by ListSecretVersionIds, deprecated versions
 * included (later rotations may have taken its labels) — else the refusal stands.
 */
async function writtenBefore(deps: ExecuteDeps, secretId: string, versionId: string, refusal: Error) {
  let nextToken: string | undefined;
  do {
    const page = await deps.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true, NextToken: nextToken }));
    if (page.ARN && page.Versions?.some((version) => version.VersionId === versionId)) return { arn: page.ARN, versionId };
    nextToken = page.NextToken;
  } while (nextToken);
  throw refusal;
}

const reprocessQueue: Executor = async (deps, command) => {
  const target = targetOf(
    command,
    z.object({ tenant_id: UuidSchema, agent_id: z.optional(UuidSchema), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
  );
  const result = await requeueFailedRequests(deps.db, {
    commandId: command.command_id,
    tenantId: target.tenant_id,
    agentId: target.agent_id,
    from: target.from,
    to: target.to,
  });
  return { tenant_id: target.tenant_id, agent_id: target.agent_id ?? null, from: target.from, to: target.to, ...result };
};

const EXECUTORS: Record<CommandType, Executor> = {
  HEALTH_CHECK: healthCheck,
  RESTART_AGENT: restartAgent,
  RESET_TOKEN: resetToken,
  REPROCESS_QUEUE: reprocessQueue,
};
