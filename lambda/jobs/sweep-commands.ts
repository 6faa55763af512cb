import type { Context } from 'aws-lambda';
import { commandStoreDeps } from '../commands/deps';
import { sweepCommands, type SweepReport } from '../commands/sweep';
import { logger } from '../shared/logger';
import { withTrace } from '../shared/tracer';

const deps = commandStoreDeps();

/** Scheduled (COMMAND_SWEEPER.schedule): ends commands stuck RUNNING or never processed. */
export const handler = async (_event: unknown, context?: Context): Promise<SweepReport> => {
  if (context) logger.addContext(context);
  return withTrace('sweepCommands', {}, () => sweepCommands(deps));
};
