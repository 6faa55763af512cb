import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { loadMigrations, migrate, setReaderPassword } from '@database/migrate';
import { getSecretsClient } from '@shared/aws/secrets-manager';
import { getDb } from '@shared/db';
import { loadEnv } from '@shared/env';
import { logger } from '@shared/logger';
import * as z from '@shared/zod';

/** Stable, so an Update never makes CloudFormation "replace" (and then delete) the resource. */
export const PHYSICAL_ID = 'database-migrations';

export interface MigrationsResponse {
  PhysicalResourceId: string;
  Data?: { applied: number; alreadyApplied: number };
}

const ReaderEnvSchema = z.object({
  /** The read-only role's secret (set by the Data stack); absent → the role keeps no login (local runs). */
  DB_READER_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
});
const ReaderSecretSchema = z.object({ password: z.string().check(z.minLength(1)) });

/**
 * The migrations custom resource (aws-cdk-lib Provider's onEvent): Create and Update apply what is
 * pending, then give the read-only role the password of its secret; Delete does nothing (the
 * schema goes with the cluster, never on its own). An error propagates, so the Provider reports
 * FAILED and CloudFormation rolls the deploy back.
 */
export const handler = async (event: CloudFormationCustomResourceEvent): Promise<MigrationsResponse> => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const db = getDb();
  const report = await migrate(db, loadMigrations(), (line) => logger.info(line));
  const { DB_READER_SECRET_ARN } = loadEnv(ReaderEnvSchema);
  if (DB_READER_SECRET_ARN) {
    const secret = await getSecretsClient().send(new GetSecretValueCommand({ SecretId: DB_READER_SECRET_ARN }));
    const { password } = z.parse(ReaderSecretSchema, JSON.parse(secret.SecretString ?? '{}'));
    await setReaderPassword(db, password);
    logger.info('read-only role login set from its secret');
  }
  logger.info('migrations done', { applied: report.applied, already_applied: report.alreadyApplied.length });
  return { PhysicalResourceId: PHYSICAL_ID, Data: { applied: report.applied.length, alreadyApplied: report.alreadyApplied.length } };
};
