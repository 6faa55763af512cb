import { COMMAND_SWEEPER } from './declaration';
import type { CommandStoreDeps } from './deps';
import { recordOutcome } from './outcome';
import type { StoredCommand } from './schemas';
import { recordMetric } from '../shared/metrics';

export interface SweepReport {
  timedOut: number;
  abandoned: number;
}

/**
 * Ends what can no longer end by itself, so nothing stays RUNNING (or PENDING) forever:
 *  - RUNNING past its deadline: the processor died, was throttled out or hung → ERROR "timed out";
 *  - PENDING older than the stream could still deliver it (its record went to the on-failure
 *    queue) → ERROR "not processed".
 * Each transition is conditional on the status it read, so a processor finishing at the same
 * moment keeps its own result.
 */
export async function sweepCommands(deps: CommandStoreDeps): Promise<SweepReport> {
  const now = deps.now();
  const nowIso = now.toISOString();
  const report: SweepReport = { timedOut: 0, abandoned: 0 };

  for await (const command of deps.store.olderThan('RUNNING', nowIso)) {
    if (!command.deadline_at || command.deadline_at >= nowIso) continue;
    const message = `Timed out: still RUNNING at its deadline (${command.deadline_at}); the processor stopped before finishing it, and its effect may or may not have happened`;
    if (await end(deps, command, 'RUNNING', message, nowIso)) report.timedOut++;
  }

  const giveUpBefore = new Date(now.getTime() - COMMAND_SWEEPER.pendingGiveUpSeconds * 1000).toISOString();
  for await (const command of deps.store.olderThan('PENDING', giveUpBefore)) {
    const message = 'Not processed: the stream record was never handled (see the processor’s on-failure queue); nothing was executed';
    if (await end(deps, command, 'PENDING', message, nowIso)) report.abandoned++;
  }

  if (report.timedOut + report.abandoned > 0) deps.logger.warn('swept commands', { ...report });
  else deps.logger.debug('nothing to sweep');
  return report;
}

async function end(deps: CommandStoreDeps, command: StoredCommand, from: 'RUNNING' | 'PENDING', message: string, at: string): Promise<boolean> {
  if (!(await deps.store.finish(command.command_id, from, { status: 'ERROR', errorMessage: message }, at))) return false;
  deps.logger.warn('command ended by the sweeper', { command_id: command.command_id, from });
  recordMetric('commandsFailed', 1, { command_type: command.command_type });
  const ended = await deps.store.get(command.command_id);
  if (ended) await recordOutcome(deps, ended);
  return true;
}
