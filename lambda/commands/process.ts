import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { runOnce } from './outcome';
import { COMMAND_TIMEOUT_SECONDS } from './declaration';
import type { CommandDeps } from './deps';
import { CommandFailure, executeCommand } from './execute';
import { FINAL_STATUSES, type StoredCommand, StoredCommandSchema } from './schemas';
import type { Outcome } from './command-store';
import { recordMetric } from '../shared/metrics';

/** Extra time past the command's own timeout before the sweeper may call a RUNNING command dead. */
export const DEADLINE_GRACE_SECONDS = 30;

/** A stream record the processor cannot even identify a command in: reported as a batch item failure. */
export class PoisonRecordError extends Error {
  override readonly name = 'PoisonRecordError';
}

/**
 * One stream record. Only the INSERT of a PENDING command does anything (the event source
 * mapping's filter should already guarantee it); the command then runs to its outcome
 * (`runCommand`). The record fails — and Lambda retries it — when the outcome could not be
 * recorded; the retry runs the command again, which applies its effect at most once.
 */
export async function processRecord(deps: CommandDeps, record: DynamoDBRecord, timeoutMs = COMMAND_TIMEOUT_SECONDS * 1000): Promise<void> {
  if (record.eventName !== 'INSERT') return;
  const image = record.dynamodb?.NewImage;
  if (!image) throw new PoisonRecordError(`record ${record.eventID ?? '?'} has no NewImage (is the stream NEW_AND_OLD_IMAGES?)`);

  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch (error) {
    throw new PoisonRecordError(`record ${record.eventID ?? '?'} has an unreadable NewImage`, { cause: error });
  }
  if (item.status !== 'PENDING') return;
  const commandId = typeof item.command_id === 'string' && item.command_id !== '' ? item.command_id : undefined;
  if (!commandId) throw new PoisonRecordError(`record ${record.eventID ?? '?'} has no command_id`);

  deps.logger.appendKeys({ command_id: commandId });
  try {
    const parsed = StoredCommandSchema.safeParse(item);
    if (!parsed.success) {
      // Not written by the API (it validates everything it stores): nothing can run, and there is
      // no caller or tenant to audit it under. It ends in ERROR so that it does not stay PENDING.
      const errorMessage = `Invalid command: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      deps.logger.error('invalid command in the table; ended without running', { reason: errorMessage });
      await deps.store.settle(commandId, { status: 'ERROR', errorMessage }, deps.now().toISOString());
      return;
    }
    await runCommand(deps, parsed.data, timeoutMs);
  } finally {
    deps.logger.removeKeys(['command_id']);
  }
}

/**
 * Runs a command to its outcome, for the processor and for the sweeper's re-drive: claims it
 * (PENDING → RUNNING; a command already RUNNING was left unfinished by an earlier attempt and is
 * taken over), runs its effect and records the outcome in one transaction under the command's
 * lock (`runOnce`: an outcome already recorded is adopted, and the effect does not run again),
 * then writes that outcome onto the command. Resolves the outcome that stands, or undefined when
 * the command had already ended or no longer exists.
 * @throws when the outcome could not be recorded, or the effect failed unexpectedly (a
 *   dependency, a timeout): nothing was committed, and running the command again is safe.
 */
export async function runCommand(deps: CommandDeps, command: StoredCommand, timeoutMs = COMMAND_TIMEOUT_SECONDS * 1000): Promise<Outcome | undefined> {
  const started = deps.now();
  const deadline = new Date(started.getTime() + timeoutMs + DEADLINE_GRACE_SECONDS * 1000);
  let startedAt = started.toISOString();
  if (!(await deps.store.claim(command.command_id, startedAt, deadline.toISOString()))) {
    const current = await deps.store.get(command.command_id);
    if (!current || FINAL_STATUSES.includes(current.status)) {
      deps.logger.info('command already ended; duplicate delivery ignored', { status: current?.status });
      return undefined;
    }
    deps.logger.warn('command was left RUNNING by an earlier attempt; running it again (its effect applies once)');
    startedAt = current.started_at ?? startedAt;
  }

  const standing = await runOnce(deps.db, command, { startedAt, now: deps.now }, (tx) => execute({ ...deps, db: tx }, command, timeoutMs));
  if (standing.recorded) {
    recordMetric(standing.outcome.status === 'SUCCESS' ? 'commandsSucceeded' : 'commandsFailed', 1, { command_type: command.command_type });
  }
  await deps.store.settle(command.command_id, standing.outcome, deps.now().toISOString());
  return standing.outcome;
}

/** The command's effect, as an outcome: ERROR for a CommandFailure (the command's own fault); anything else is thrown. */
async function execute(deps: CommandDeps, command: StoredCommand, timeoutMs: number): Promise<Outcome> {
  deps.logger.appendKeys({ tenant_id: command.tenant_id, command_type: command.command_type, created_by: command.created_by });
  try {
    const output = await withTimeout(executeCommand(deps, command), timeoutMs);
    deps.logger.info('command succeeded');
    return { status: 'SUCCESS', output: JSON.stringify(output) };
  } catch (error) {
    if (error instanceof CommandFailure) {
      deps.logger.warn('command failed', { reason: error.message });
      return { status: 'ERROR', errorMessage: error.message };
    }
    // Not the command's fault (throttling, a dependency down, a timeout): nothing is committed and
    // the command runs again (Lambda's retry of the record, then the sweeper's re-drive).
    deps.logger.error('command could not run; it will be retried', error as Error);
    throw error;
  } finally {
    deps.logger.removeKeys(['tenant_id', 'command_type', 'created_by']);
  }
}

/** The command took longer than its time limit: its transaction is abandoned (never committed). */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
}

/**
 * The command's time limit. A Data API statement cannot be cancelled, but the transaction it runs
 * in is never committed after this: the effect does not happen, and the command is retried.
 */
function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandTimeoutError(`Timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
