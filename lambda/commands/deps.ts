import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getDocumentClient } from '../shared/aws/dynamodb';
import { type Db, getDb } from '../shared/db';
import { type AppLogger, logger } from '../shared/logger';
import { CommandStore } from './command-store';
import { type CommandsEnv, loadCommandsEnv } from './env';

/** What the command routes and the sweeper touch: Aurora and the commands table. */
export interface CommandStoreDeps {
  db: Db;
  store: CommandStore;
  env: CommandsEnv;
  logger: AppLogger;
  now: () => Date;
}

/** The processor also runs the effects: DescribeTable and Secrets Manager. */
export interface CommandDeps extends CommandStoreDeps {
  dynamo: DynamoDBClient;
  secrets: SecretsManagerClient;
}

/** Built once per process by the handler modules. */
export function commandStoreDeps(): CommandStoreDeps {
  const env = loadCommandsEnv();
  return { db: getDb(), store: new CommandStore(getDocumentClient(), env.COMMANDS_TABLE), env, logger, now: () => new Date() };
}
