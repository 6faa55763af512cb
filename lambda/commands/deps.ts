import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getDocumentClient, getDynamoClient, getSecretsClient } from '../shared/aws';
import { type Db, getDb } from '../shared/db';
import { type AppLogger, logger } from '../shared/logger';
import { CommandStore } from './command-store';
import { type CommandsEnv, loadCommandsEnv } from './env';

/** Everything the command use cases touch, built once per process by the handler modules. */
export interface CommandDeps {
  db: Db;
  store: CommandStore;
  dynamo: DynamoDBClient;
  secrets: SecretsManagerClient;
  env: CommandsEnv;
  logger: AppLogger;
  now: () => Date;
}

export function commandDeps(): CommandDeps {
  const env = loadCommandsEnv();
  return {
    db: getDb(),
    store: new CommandStore(getDocumentClient(), env.COMMANDS_TABLE),
    dynamo: getDynamoClient(),
    secrets: getSecretsClient(),
    env,
    logger,
    now: () => new Date(),
  };
}
