import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { COMMANDS_TABLE } from '../../lambda/commands/declaration';
import { rateLimitEnvironment } from '../../lambda/shared/rate-limits';
import type { FunctionAccess } from '../../lambda/shared/function-access';
import type { StageConfig } from '../config';
import type { AppFunction } from './app-function';

/**
 * What a function may touch, granted together with the environment variables that name it, so a
 * function never gets a variable without the permission or the other way round.
 */

/** The cluster and database the Data API handlers use, and the read-only role's secret. */
export interface DatabaseRef {
  readonly cluster: rds.DatabaseCluster;
  readonly databaseName: string;
  /** The credentials of the read-only role (READER_ROLE), which the migrations create. */
  readonly readerSecret: secretsmanager.ISecret;
}

/** The Data API operations each database role's functions may call. */
export const DATA_API_ACTIONS: Record<FunctionAccess['database'], string[]> = {
  // One statement per call: no transaction (nothing to commit) and no batch (nothing to write).
  reader: ['rds-data:ExecuteStatement'],
  writer: ['rds-data:BatchExecuteStatement', 'rds-data:BeginTransaction', 'rds-data:CommitTransaction', 'rds-data:ExecuteStatement', 'rds-data:RollbackTransaction'],
};

/**
 * The Data API on the cluster as one database role, with read access to that role's secret only
 * (DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME): the writer's secret for `writer`, the read-only role's
 * for `reader`, so a read route cannot write even through a bug.
 */
export function connectDatabase(fn: AppFunction, database: DatabaseRef, role: FunctionAccess['database']): void {
  const secret = role === 'writer' ? database.cluster.secret! : database.readerSecret;
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: DATA_API_ACTIONS[role], resources: [database.cluster.clusterArn] }));
  secret.grantRead(fn);
  fn.fn.addEnvironment('DB_CLUSTER_ARN', database.cluster.clusterArn);
  fn.fn.addEnvironment('DB_SECRET_ARN', secret.secretArn);
  fn.fn.addEnvironment('DB_NAME', database.databaseName);
}

/** Everything a function's declaration (FunctionAccess) says it may touch. */
export function connectFunction(fn: AppFunction, access: FunctionAccess, resources: { database: DatabaseRef; commandsTable: dynamodb.ITable }, config: StageConfig): void {
  connectDatabase(fn, resources.database, access.database);
  if (access.commandsTable) connectCommandsTable(fn, resources.commandsTable, access.commandsTable, config);
  if (access.commandEffects) grantCommandEffects(fn, resources.commandsTable, config);
}

/**
 * The rate limits (RATE_LIMIT_TABLE, RATE_LIMITS from the stage config): the counters' conditional
 * UpdateItem, on that table only.
 */
export function connectRateLimits(fn: AppFunction, table: dynamodb.ITable, config: StageConfig): void {
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }));
  for (const [name, value] of Object.entries(rateLimitEnvironment(table.tableName, config.rateLimits))) fn.fn.addEnvironment(name, value);
}

/** The CommandStore's operations: reads, or reads and the conditional put/update it writes with. */
export type CommandsTableAccess = 'read' | 'readWrite';

const TABLE_ACTIONS: Record<CommandsTableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

/** Where RESET_TOKEN creates integration credentials: one prefix per stage, so stages never share them. */
export const integrationSecretPrefix = (config: StageConfig): string => `painel/${config.stage}/integrations/`;

/**
 * The commands table (COMMANDS_TABLE, INTEGRATION_SECRET_PREFIX): exactly the item actions the
 * CommandStore uses, on the table and on each declared index by name (no index wildcard).
 */
export function connectCommandsTable(fn: AppFunction, table: dynamodb.ITable, access: CommandsTableAccess, config: StageConfig): void {
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: TABLE_ACTIONS[access],
      resources: [table.tableArn, ...Object.values(COMMANDS_TABLE.indexes).map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
  fn.fn.addEnvironment('COMMANDS_TABLE', table.tableName);
  fn.fn.addEnvironment('INTEGRATION_SECRET_PREFIX', integrationSecretPrefix(config));
}

/**
 * What running commands needs beyond the table (the processor, and the sweeper when it re-drives
 * one): DescribeTable (HEALTH_CHECK) and, for RESET_TOKEN, CreateSecret/PutSecretValue on the
 * stage's integration credentials (names under the prefix; ARNs stored in the database point at
 * the same secrets) and ListSecretVersionIds (a command run again finds the version it wrote).
 */
export function grantCommandEffects(fn: AppFunction, table: dynamodb.ITable, config: StageConfig): void {
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
  const stack = Stack.of(fn);
  const secrets = `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${integrationSecretPrefix(config)}*`;
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:CreateSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:PutSecretValue'], resources: [secrets] }));
  NagSuppressions.addResourceSuppressions(
    fn.role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'RESET_TOKEN creates and rotates one secret per integration, named at run time under the stage prefix; the wildcard covers only that prefix (and the random suffix Secrets Manager appends to ARNs).',
        // Partition, region and account are tokens or literals depending on the CDK environment.
        appliesTo: [{ regex: `/^Resource::arn:.+:secretsmanager:.+:secret:${escapeRegex(integrationSecretPrefix(config))}\\*$/` }],
      },
    ],
    true,
  );
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
