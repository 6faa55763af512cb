/**
 * What one Lambda function may touch beyond its own logs, declared next to the function (the route
 * manifest, the schedules, the stream consumer) as plain data. The CDK stacks grant exactly this
 * and set the matching environment variables; the local runtime builds the same environment, so
 * a function that reaches past its declaration fails locally as it would in AWS.
 */
export interface FunctionAccess {
  /**
   * The database role its Data API calls run as:
   * - `reader`: the read-only role (`painel_reader`: SELECT only), through its own secret, and
   *   only `rds-data:ExecuteStatement` (no transactions, no batches);
   * - `writer`: the cluster's owner role, every Data API operation.
   */
  readonly database: 'reader' | 'writer';
  /** The operational-commands table: item reads, or reads and the conditional writes the CommandStore makes. */
  readonly commandsTable?: 'read' | 'readWrite';
  /** Runs commands' effects: DescribeTable, and the integration credentials RESET_TOKEN rotates (Secrets Manager). */
  readonly commandEffects?: boolean;
}

/** The database role read-only functions use (created by migration 0008; its password comes from its own secret). */
export const READER_ROLE = 'painel_reader';
