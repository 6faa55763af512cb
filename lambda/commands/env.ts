import * as z from '../shared/zod';
import { loadEnv } from '../shared/env';

const CommandsEnvSchema = z.object({
  /** Physical name of the commands table (CDK generates it; locally the declaration's logical name). */
  COMMANDS_TABLE: z.string().check(z.minLength(1)),
  /** Name prefix of the integration credentials that RESET_TOKEN creates. */
  INTEGRATION_SECRET_PREFIX: z._default(z.string().check(z.minLength(1)), 'painel/integrations/'),
});
export type CommandsEnv = z.infer<typeof CommandsEnvSchema>;

export const loadCommandsEnv = (source?: NodeJS.ProcessEnv): CommandsEnv => loadEnv(CommandsEnvSchema, source);
