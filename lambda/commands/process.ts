import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { recordOutcome } from './outcome';
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
 * mapping's filter should already guarantee it). The claim PENDING → RUNNING is conditional: a
 * record delivered twice finds the command claimed and only makes sure its outcome was recorded.
 * A command that cannot run (bad parameters, missing target, timeout, failure) ends in ERROR; the
 * record fails (and is retried by Lambda) only when the outcome itself could not be stored.
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
    const started = deps.now();
    const deadline = new Date(started.getTime() + timeoutMs + DEADLINE_GRACE_SECONDS * 1000);
    if (!(await deps.store.claim(commandId, started.toISOString(), deadline.toISOString()))) {
      await completeTrail(deps, commandId);
      return;
    }

    const parsed = StoredCommandSchema.safeParse(item);
    const outcome: Outcome = parsed.success
      ? await run(deps, parsed.data, timeoutMs)
      : { status: 'ERROR', errorMessage: `Invalid command: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };

    const completedAt = deps.now().toISOString();
    if (!(await deps.store.finish(commandId, 'RUNNING', outcome, completedAt))) {
      deps.logger.warn('command was ended by someone else (the sweeper) before it finished; its result is dropped', { outcome: outcome.status });
      return;
    }
    recordMetric(outcome.status === 'SUCCESS' ? 'commandsSucceeded' : 'commandsFailed', 1, { command_type: String(item.command_type ?? 'unknown') });
    const finished = await deps.store.get(commandId);
    if (finished) await recordOutcome(deps, finished);
  } finally {
    deps.logger.removeKeys(['command_id']);
  }
}

async function run(deps: CommandDeps, command: StoredCommand, timeoutMs: number): Promise<Outcome> {
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
    // Not the command's fault (throttling, a dependency down): the details stay in the logs.
    deps.logger.error('command failed unexpectedly', error as Error);
    return { status: 'ERROR', errorMessage: `Unexpected failure (${error instanceof Error ? error.name : 'Error'}); details are in the processor's logs` };
  } finally {
    deps.logger.removeKeys(['tenant_id', 'command_type', 'created_by']);
  }
}

/**
 * The command's time limit. The work itself cannot be cancelled (a Data API statement runs to
 * its end), so a timed-out effect may still complete afterwards; the error message says so.
 */
function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandFailure(`Timed out after ${Math.round(timeoutMs / 1000)} s; the effect may still complete`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A duplicate delivery: if the command already ended, make sure its outcome row exists. */
async function completeTrail(deps: CommandDeps, commandId: string): Promise<void> {
  const current = await deps.store.get(commandId);
  deps.logger.info('command already claimed; duplicate delivery ignored', { status: current?.status });
  if (current && FINAL_STATUSES.includes(current.status)) await recordOutcome(deps, current);
}
