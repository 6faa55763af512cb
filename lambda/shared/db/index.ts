import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { Db } from './data-api';
import { loadDbEnv } from '../env';
import { traceClient } from '../tracer';

export { Db, DEFAULT_RETRY, parseResponse, type DataApiTarget, type RetryPolicy, type QueryOptions } from './data-api';
export { p, toSqlDate, toSqlTimestamp, type SqlParam, type SqlParams } from './params';
export { mapDataApiError, sqlStateOf } from './map-error';

let shared: Db | undefined;

/**
 * The process-wide Db, built once from the validated environment. The client honours
 * AWS_ENDPOINT_URL_RDS_DATA, which is how the local runtime points it at the local endpoint.
 */
export function getDb(): Db {
  if (!shared) {
    const env = loadDbEnv();
    shared = new Db(traceClient(new RDSDataClient({})), { resourceArn: env.DB_CLUSTER_ARN, secretArn: env.DB_SECRET_ARN, database: env.DB_NAME });
  }
  return shared;
}
