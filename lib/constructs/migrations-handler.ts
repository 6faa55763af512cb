import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { loadMigrations, migrate } from '@database/migrate';
import { getDb } from '@shared/db';
import { logger } from '@shared/logger';

/** Stable, so an Update never makes CloudFormation "replace" (and then delete) the resource. */
export const PHYSICAL_ID = 'database-migrations';

export interface MigrationsResponse {
  PhysicalResourceId: string;
  Data?: { applied: number; alreadyApplied: number };
}

/**
 * The migrations custom resource (aws-cdk-lib Provider's onEvent): Create and Update apply what is
 * pending; Delete does nothing (the schema goes with the cluster, never on its own). An error
 * propagates, so the Provider reports FAILED and CloudFormation rolls the deploy back.
 */
export const handler = async (event: CloudFormationCustomResourceEvent): Promise<MigrationsResponse> => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const report = await migrate(getDb(), loadMigrations(), (line) => logger.info(line));
  logger.info('migrations done', { applied: report.applied, already_applied: report.alreadyApplied.length });
  return { PhysicalResourceId: PHYSICAL_ID, Data: { applied: report.applied.length, alreadyApplied: report.alreadyApplied.length } };
};
