import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../shared/db';
import { AppError, ConflictError, ServiceUnavailableError } from '../shared/errors';
import { fieldError } from '../shared/http/validate';
import type { AppLogger } from '../shared/logger';
import { recordMetric } from '../shared/metrics';
import type { CommandStore } from './command-store';
import { findCommandTargets, recordCommandEvent, type CommandTargets } from './commands-repository';
import { COMMAND_RETENTION_DAYS, COMMANDS_LIST_PK } from './declaration';
import { CREATED_MESSAGE, type CreateCommandBody, reprocessWindowIssue, resolveParameters, type StoredCommand } from './schemas';

export interface CreateCommandDeps {
  db: Db;
  store: CommandStore;
  logger: AppLogger;
  now?: () => Date;
}

export interface CreateCommandInput {
  body: CreateCommandBody;
  /** The caller's Cognito sub. */
  createdBy: string;
  /** The Idempotency-Key header, if sent. */
  idempotencyKey?: string;
}

export interface CreatedCommand {
  body: { command_id: string; status: 'PENDING'; created_at: string; message: typeof CREATED_MESSAGE };
  /** True when the Idempotency-Key matched an earlier request and nothing new was created. */
  replayed: boolean;
}

/** Printable ASCII, as in the IETF Idempotency-Key draft's examples (UUIDs, random strings). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POST /internal/operations/commands: checks the targets in Aurora, records the command's
 * creation (its audit row) and only then writes the PENDING command, whose insert on the table's
 * stream starts the processor. So no command runs without its audit row: when the audit row
 * cannot be written, nothing is stored and the caller gets a 503 saying so; when the command
 * cannot be stored, a failed outcome is recorded first, which forbids it from ever running, and
 * the caller gets the same 503 — or a 202 if the command turned out to be running already.
 * With an Idempotency-Key the command id is derived from (caller, key), so a retry finds the first
 * command instead of making a second one.
 * @throws ValidationError (400), ConflictError (409), ServiceUnavailableError (503: nothing ran).
 */
export async function createCommand(deps: CreateCommandDeps, input: CreateCommandInput): Promise<CreatedCommand> {
  const { body, createdBy, idempotencyKey } = input;
  const requestHash = sha256(JSON.stringify([body.command_type, body.tenant_id ?? null, body.parameters]));

  let commandId: string = randomUUID();
  if (idempotencyKey !== undefined) {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw fieldError('header', 'Idempotency-Key', 'must be 1–255 printable ASCII characters');
    commandId = uuidFromHash(sha256(`${createdBy}\n${idempotencyKey}`));
    const existing = await deps.store.get(commandId).catch(notRun(deps));
    if (existing) return replay(deps, existing, requestHash);
  }

  const now = (deps.now ?? (() => new Date()))();
  const parameters = resolveParameters(body, now);
  if (body.command_type === 'REPROCESS_QUEUE') {
    const issue = reprocessWindowIssue(parameters);
    if (issue) throw fieldError('body', 'parameters', issue);
  }
  assertTargets(body, await findCommandTargets(deps.db, { tenantId: body.tenant_id, ...targetIds(body) }).catch(notRun(deps)));

  const command: StoredCommand = {
    command_id: commandId,
    created_at: now.toISOString(),
    list_pk: COMMANDS_LIST_PK,
    ...(body.tenant_id && { tenant_id: body.tenant_id }),
    command_type: body.command_type,
    status: 'PENDING',
    created_by: createdBy,
    parameters,
    request_hash: requestHash,
    ...(idempotencyKey !== undefined && { idempotency_key: sha256(`${createdBy}\n${idempotencyKey}`) }),
    ttl: Math.floor(now.getTime() / 1000) + COMMAND_RETENTION_DAYS * 86_400,
  };
  await audit(deps.db, command).catch(notRun(deps));

  let written: Awaited<ReturnType<CommandStore['create']>>;
  try {
    written = await deps.store.create(command);
  } catch (error) {
    return unstored(deps, command, error);
  }
  // Lost a race with a concurrent request carrying the same key: that one's command stands.
  if (!written.created) return replay(deps, written.existing, requestHash);

  deps.logger.info('command created', { command_id: commandId, command_type: command.command_type, tenant_id: command.tenant_id });
  recordMetric('commandsCreated', 1, { command_type: command.command_type });
  return { body: createdBody(command), replayed: false };
}

const NOT_RUN = 'The command could not be recorded, and nothing was run. Retry the request.';

/**
 * A dependency failed before anything was written (the idempotency lookup, the target check, the
 * audit row): the caller's 503 says that nothing ran. The caller's own mistakes keep their 4xx.
 */
const notRun =
  (deps: CreateCommandDeps) =>
  (error: unknown): never => {
    if (error instanceof AppError && error.expose && error.status < 500) throw error;
    deps.logger.error('a dependency failed before the command was recorded; nothing was stored', error as Error);
    throw new ServiceUnavailableError(NOT_RUN, 5, { cause: error });
  };
const UNCONFIRMED = 'The command could not be confirmed. Retry the request with the same Idempotency-Key: it runs at most once.';

/**
 * The table write failed — though it may have happened (its response lost). A consistent read
 * tells: stored after all → the command runs, and the caller gets its 202; not stored → nothing
 * can run, 503. When even the read fails, the caller is told to retry with its Idempotency-Key,
 * which finds the command if it exists. A creation recorded but never stored is ended as failed by
 * the sweeper (COMMAND_SWEEPER.unstoredAfterSeconds).
 */
async function unstored(deps: CreateCommandDeps, command: StoredCommand, cause: unknown): Promise<CreatedCommand> {
  deps.logger.warn('the command table write failed; checking whether it happened', { command_id: command.command_id, reason: (cause as Error)?.name });
  let existing: StoredCommand | undefined;
  try {
    existing = await deps.store.get(command.command_id);
  } catch (error) {
    deps.logger.error('the command could not be stored nor looked up', error as Error);
    throw new ServiceUnavailableError(UNCONFIRMED, 5, { cause });
  }
  if (!existing) throw new ServiceUnavailableError(NOT_RUN, 5, { cause });
  deps.logger.info('command created', { command_id: command.command_id, command_type: command.command_type, tenant_id: command.tenant_id });
  recordMetric('commandsCreated', 1, { command_type: command.command_type });
  return { body: createdBody(existing), replayed: false };
}

async function replay(deps: CreateCommandDeps, existing: StoredCommand, requestHash: string): Promise<CreatedCommand> {
  if (existing.request_hash !== requestHash) {
    throw new ConflictError('This Idempotency-Key was already used for a different command; use a new key for a new command.');
  }
  deps.logger.info('command replayed', { command_id: existing.command_id });
  return { body: createdBody(existing), replayed: true };
}

/** The creation's audit row (written once per command id: a retry finds it). */
async function audit(db: Db, command: StoredCommand): Promise<void> {
  await recordCommandEvent(db, {
    commandId: command.command_id,
    eventType: 'command_created',
    severity: 'info',
    tenantId: command.tenant_id ?? null,
    userSub: command.created_by,
    title: `Comando ${command.command_type} criado`,
    metadata: { command_id: command.command_id, command_type: command.command_type, parameters: command.parameters },
  });
}

const createdBody = (command: StoredCommand): CreatedCommand['body'] => ({
  command_id: command.command_id,
  status: 'PENDING',
  created_at: command.created_at,
  message: CREATED_MESSAGE,
});

function targetIds(body: CreateCommandBody): { agentId?: string; integrationId?: string } {
  switch (body.command_type) {
    case 'RESTART_AGENT':
      return { agentId: body.parameters.agent_id };
    case 'RESET_TOKEN':
      return { integrationId: body.parameters.integration_id };
    case 'REPROCESS_QUEUE':
      return { agentId: body.parameters.agent_id };
    case 'HEALTH_CHECK':
      return {};
  }
}

/** The database's answer, turned into the caller's 400 (no such thing) or 409 (wrong state). */
function assertTargets(body: CreateCommandBody, targets: CommandTargets): void {
  if (body.tenant_id && !targets.tenant) throw fieldError('body', 'tenant_id', 'no tenant has this id');
  const { agentId, integrationId } = targetIds(body);
  if (agentId && !targets.agent) throw fieldError('body', 'parameters.agent_id', 'is not an agent of this tenant');
  if (integrationId && !targets.integration) throw fieldError('body', 'parameters.integration_id', 'is not an integration of this tenant');
  if (body.command_type === 'RESTART_AGENT' && targets.agent?.status === 'suspended') {
    throw new ConflictError('The agent is suspended for this tenant; a restart would not lift the suspension. Reactivate it first.');
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A UUID-shaped id (version 8, "custom") from the first 128 bits of a hash. */
function uuidFromHash(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
