import type { Context } from 'aws-lambda';
import { commandDeps } from '../commands/processor-deps';
import { sweepCommands, type SweepReport } from '../commands/sweep';
import { logger } from '../shared/logger';
import { withTrace } from '../shared/tracer';

const deps = commandDeps();

/** Scheduled (COMMAND_SWEEPER.schedule): finishes commands their processor could not (lambda/commands/sweep.ts). */
export const handler = async (_event: unknown, context?: Context): Promise<SweepReport> => {
  if (context) logger.addContext(context);
  return withTrace('sweepCommands', {}, () => sweepCommands(deps));
};
