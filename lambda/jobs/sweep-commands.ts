import type { Context } from 'aws-lambda';
import { commandStoreDeps } from '../commands/deps';
import { sweepCommands, type SweepReport } from '../commands/sweep';
import { logger } from '../shared/logger';

const deps = commandStoreDeps();

/** Scheduled (COMMAND_SWEEPER.schedule): ends commands stuck RUNNING or never processed. */
export const handler = async (_event: unknown, context?: Context): Promise<SweepReport> => {
  if (context) logger.addContext(context);
  return sweepCommands(deps);
};
