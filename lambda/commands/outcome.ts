import type { Db } from '../shared/db';
import type { Outcome } from './command-store';
import { findCommandOutcome, lockCommand, recordCommandEvent } from './commands-repository';
import type { StoredCommand } from './schemas';

/**
 * A command's outcome, and its audit row. Aurora's outcome row (command_executed or
 * command_failed, one per command: migration 0010) is what a command did; the commands table's
 * final status is written from it, after it. Every path that ends a command goes through here.
 */

/** What an outcome row says of its command. */
export type CommandRef = Pick<StoredCommand, 'command_id' | 'command_type' | 'tenant_id' | 'created_by'>;

/** When the command ran, for the outcome's duration. */
export interface OutcomeTiming {
  startedAt?: string;
  completedAt: string;
}

/** The outcome that stands, and whether this call recorded it (false: it adopted an earlier one). */
export interface StandingOutcome {
  outcome: Outcome;
  recorded: boolean;
}

/**
 * Inserts the outcome's audit row (command_executed — a warning when a health check is degraded —
 * or command_failed), inside the caller's transaction. Resolves false when the command already
 * has an outcome.
 */
export function insertOutcome(db: Db, command: CommandRef, outcome: Outcome, timing: OutcomeTiming): Promise<boolean> {
  const success = outcome.status === 'SUCCESS';
  const degraded = success && command.command_type === 'HEALTH_CHECK' && outcome.output.includes('"status":"degraded"');
  const durationMs = timing.startedAt ? Date.parse(timing.completedAt) - Date.parse(timing.startedAt) : null;
  return recordCommandEvent(db, {
    commandId: command.command_id,
    eventType: success ? 'command_executed' : 'command_failed',
    severity: success ? (degraded ? 'warning' : 'info') : 'error',
    tenantId: command.tenant_id ?? null,
    userSub: command.created_by,
    title: success ? `Comando ${command.command_type} executado` : `Comando ${command.command_type} falhou`,
    description: success ? undefined : outcome.errorMessage,
    metadata: {
      command_id: command.command_id,
      command_type: command.command_type,
      status: outcome.status,
      duration_ms: durationMs,
      ...(success && { output: safeJson(outcome.output) }),
    },
  });
}

/**
 * Records `outcome` unless the command already has one, under the command's lock, in one
 * transaction: the result is the outcome that stands. Used where no effect runs (a failure, a
 * give-up, a creation that did not complete).
 * @throws the Data API's error (mapped) when it cannot be recorded; nothing is then recorded.
 */
export function recordOutcomeOnce(db: Db, command: CommandRef, outcome: Outcome, timing: OutcomeTiming): Promise<StandingOutcome> {
  return db.transaction(async (tx) => {
    await lockCommand(tx, command.command_id);
    const existing = await findCommandOutcome(tx, command.command_id);
    if (existing) return { outcome: existing, recorded: false };
    await insertOutcome(tx, command, outcome, timing);
    return { outcome, recorded: true };
  });
}

/**
 * Runs `effect` and records its outcome in ONE transaction, under the command's lock: both commit
 * or neither does. When the command already has an outcome (an earlier delivery, a re-drive, the
 * sweeper), `effect` does not run and that outcome is returned. `effect` gets the transaction and
 * must make every database write through it.
 */
export function runOnce(db: Db, command: StoredCommand, timing: Omit<OutcomeTiming, 'completedAt'> & { now: () => Date }, effect: (tx: Db) => Promise<Outcome>): Promise<StandingOutcome> {
  return db.transaction(async (tx) => {
    await lockCommand(tx, command.command_id);
    const existing = await findCommandOutcome(tx, command.command_id);
    if (existing) return { outcome: existing, recorded: false };
    const outcome = await effect(tx);
    await insertOutcome(tx, command, outcome, { startedAt: timing.startedAt, completedAt: timing.now().toISOString() });
    return { outcome, recorded: true };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
