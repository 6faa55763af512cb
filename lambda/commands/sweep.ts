import { COMMAND_SWEEPER, COMMAND_TIMEOUT_SECONDS } from './declaration';
import type { CommandDeps } from './deps';
import { findUnsettledCreations } from './commands-repository';
import { type CommandRef, recordOutcomeOnce } from './outcome';
import { DEADLINE_GRACE_SECONDS, runCommand } from './process';
import { COMMAND_TYPES, type CommandType, type StoredCommand } from './schemas';
import type { Outcome } from './command-store';
import { recordMetric } from '../shared/metrics';

export interface SweepReport {
  /** RUNNING past their deadline and run again (their effect applies once). */
  redriven: number;
  /** Ended in ERROR after COMMAND_SWEEPER.maxRedrives re-drives. */
  timedOut: number;
  /** PENDING past what the stream could still deliver: ended in ERROR, never run. */
  abandoned: number;
  /** Creations recorded but never stored: ended in ERROR, never run. */
  unstored: number;
  /** Commands the sweep could not settle this time (the next sweep tries again). */
  failed: number;
}

/**
 * Finishes what the processor could not, so that every command ends, and ends with its audit row:
 *  - RUNNING past its deadline (the processor died, was throttled out, or its outcome could not be
 *    recorded): run again through `runCommand`, which applies the effect at most once; after
 *    `maxRedrives` re-drives, ended in ERROR;
 *  - PENDING older than the stream could still deliver it (its record went to the on-failure
 *    queue): ended in ERROR, never run;
 *  - created (audit row) but never stored (the API stopped in between): ended in ERROR.
 * Each ending records the outcome first, under the command's lock, and adopts one that is already
 * there, so a processor finishing at the same moment keeps its own result. Bounded per sweep
 * (COMMAND_SWEEPER.batch per kind); one command's failure does not stop the others.
 */
export async function sweepCommands(deps: CommandDeps): Promise<SweepReport> {
  const now = deps.now();
  const nowIso = now.toISOString();
  const report: SweepReport = { redriven: 0, timedOut: 0, abandoned: 0, unstored: 0, failed: 0 };
  const attempt = async (commandId: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      report.failed++;
      deps.logger.error('the sweeper could not settle a command; the next sweep tries again', { command_id: commandId, error: (error as Error)?.name });
    }
  };

  let seen = 0;
  for await (const command of deps.store.olderThan('RUNNING', nowIso)) {
    if (!command.deadline_at || command.deadline_at >= nowIso) continue;
    if (++seen > COMMAND_SWEEPER.batch) break;
    await attempt(command.command_id, async () => {
      const newDeadline = new Date(now.getTime() + (COMMAND_TIMEOUT_SECONDS + DEADLINE_GRACE_SECONDS) * 1000).toISOString();
      const redrives = await deps.store.redrive(command.command_id, nowIso, newDeadline);
      if (redrives === undefined) return; // ended, or taken over, meanwhile
      if (redrives > COMMAND_SWEEPER.maxRedrives) {
        const message = `Timed out: still RUNNING after ${COMMAND_SWEEPER.maxRedrives} re-runs; nothing was committed`;
        if (await end(deps, command, { status: 'ERROR', errorMessage: message }, nowIso)) report.timedOut++;
        return;
      }
      deps.logger.warn('running again a command left RUNNING', { command_id: command.command_id, redrives });
      await runCommand(deps, { ...command, status: 'RUNNING' });
      report.redriven++;
    });
  }

  const giveUpBefore = new Date(now.getTime() - COMMAND_SWEEPER.pendingGiveUpSeconds * 1000).toISOString();
  seen = 0;
  for await (const command of deps.store.olderThan('PENDING', giveUpBefore)) {
    if (++seen > COMMAND_SWEEPER.batch) break;
    await attempt(command.command_id, async () => {
      const message = 'Not processed: the stream record was never handled (see the processor’s on-failure queue); nothing was executed';
      if (await end(deps, command, { status: 'ERROR', errorMessage: message }, nowIso)) report.abandoned++;
    });
  }

  const creations = await findUnsettledCreations(
    deps.db,
    {
      from: new Date(now.getTime() - COMMAND_SWEEPER.unstoredLookBackSeconds * 1000).toISOString(),
      to: new Date(now.getTime() - COMMAND_SWEEPER.unstoredAfterSeconds * 1000).toISOString(),
    },
    COMMAND_SWEEPER.batch,
  );
  for (const creation of creations) {
    await attempt(creation.command_id, async () => {
      if (await deps.store.get(creation.command_id)) return; // stored: the other kinds end it
      const metadata = JSON.parse(creation.metadata) as { command_type?: string };
      const commandType = COMMAND_TYPES.find((type) => type === metadata.command_type) ?? ('HEALTH_CHECK' as CommandType);
      const ref: CommandRef = { command_id: creation.command_id, command_type: commandType, tenant_id: creation.tenant_id ?? undefined, created_by: creation.user_sub };
      const standing = await recordOutcomeOnce(deps.db, ref, { status: 'ERROR', errorMessage: 'Not created: the command was never stored, and nothing was run' }, { completedAt: nowIso });
      if (standing.recorded) report.unstored++;
    });
  }

  if (report.redriven + report.timedOut + report.abandoned + report.unstored + report.failed > 0) deps.logger.warn('swept commands', { ...report });
  else deps.logger.debug('nothing to sweep');
  return report;
}

/** Records `outcome` (or adopts the one already recorded), then writes it onto the command. True when this sweep recorded it. */
async function end(deps: CommandDeps, command: StoredCommand, outcome: Outcome, at: string): Promise<boolean> {
  const standing = await recordOutcomeOnce(deps.db, command, outcome, { startedAt: command.started_at, completedAt: at });
  await deps.store.settle(command.command_id, standing.outcome, at);
  if (standing.recorded) {
    deps.logger.warn('command ended by the sweeper', { command_id: command.command_id, status: command.status });
    recordMetric('commandsFailed', 1, { command_type: command.command_type });
  }
  return standing.recorded;
}
