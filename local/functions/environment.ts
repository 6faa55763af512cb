import type { FunctionAccess } from '@shared/function-access';
import { handlerEnvironment, type LocalDatabase } from '../data-api';
import { dynamoHandlerEnvironment, type LocalDynamo } from '../dynamodb';
import { secretsHandlerEnvironment, type LocalSecretsManager } from '../secrets-manager';

/** The local stand-ins a function's environment points at. */
export interface LocalStandIns {
  database: Pick<LocalDatabase, 'api' | 'target'>;
  dynamo?: Pick<LocalDynamo, 'endpoint' | 'tableName'>;
  secrets?: Pick<LocalSecretsManager, 'endpoint'>;
}

/**
 * The environment the CDK gives a function with `access` (lib/constructs/access.ts), pointed at the
 * local stand-ins: the read-only role's secret for readers, the commands table only to the
 * functions that declare it. Powertools Metrics are off (their EMF lines are CloudWatch's input,
 * noise in a terminal) unless the caller turns them on.
 */
export function functionEnvironment(access: FunctionAccess, standIns: LocalStandIns): Record<string, string> {
  return {
    ...handlerEnvironment(standIns.database, access.database),
    ...(access.commandsTable && standIns.dynamo ? dynamoHandlerEnvironment(standIns.dynamo) : standIns.dynamo ? { AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamo.endpoint } : {}),
    ...(standIns.secrets ? secretsHandlerEnvironment(standIns.secrets) : {}),
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}
