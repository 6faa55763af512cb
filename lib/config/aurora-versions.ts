/**
 * Aurora PostgreSQL engine versions, as data.
 *
 * Source: "Aurora PostgreSQL release calendar for minor versions" (Release Notes for Aurora
 * PostgreSQL, docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes). A minor version
 * past its "end of standard support" can no longer be used to create a cluster: CloudFormation
 * fails with `Cannot find version X for aurora-postgresql` and the Data stack rolls back. When AWS
 * retires another minor, add it to this list (one line): the config test then fails for any stage
 * still pinned to it.
 */

/**
 * The engine every stage runs. 16.8 is the PostgreSQL 16 long-term-support (LTS) minor: AWS keeps
 * an LTS minor available for at least three years, so a fresh account can still create it long
 * after the neighbouring minors are retired.
 */
export const AURORA_POSTGRES_VERSION = '16.8';

/** Minors AWS no longer offers for new clusters (checked 2026-11-30 against the release calendar). */
export const AURORA_POSTGRES_RETIRED_VERSIONS: readonly string[] = [
  // PostgreSQL 15
  '15.2', '15.3', '15.4', '15.5', '15.6', '15.7', '15.8',
  // PostgreSQL 16
  '16.1', '16.2', '16.3', '16.4', '16.6',
];

/** True when `version` (e.g. "16.8") can still create a new Aurora PostgreSQL cluster, as far as the list above knows. */
export function isOfferedForNewClusters(version: string): boolean {
  return !AURORA_POSTGRES_RETIRED_VERSIONS.includes(version);
}
