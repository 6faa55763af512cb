/**
 * The business figures the functions publish (CloudWatch Embedded Metric Format through Powertools
 * Metrics, lambda/shared/metrics.ts) and the stage dashboard draws (lib/constructs/dashboard.ts):
 * names, units and dimensions declared once. The namespace is the stage's (`Painel/<stage>`, from
 * POWERTOOLS_METRICS_NAMESPACE); every metric also carries the `service` dimension.
 */
export const BUSINESS_METRICS = {
  /** A command accepted by POST /internal/operations/commands (not an idempotent replay). Dimension: command_type. */
  commandsCreated: { name: 'CommandsCreated', unit: 'Count', dimensions: ['command_type'] },
  /** A command the processor ended in SUCCESS. Dimension: command_type. */
  commandsSucceeded: { name: 'CommandsSucceeded', unit: 'Count', dimensions: ['command_type'] },
  /** A command ended in ERROR, by the processor or the sweeper. Dimension: command_type. */
  commandsFailed: { name: 'CommandsFailed', unit: 'Count', dimensions: ['command_type'] },
  /** agent_requests rows the nightly aggregation read, per run. */
  aggregationRowsRead: { name: 'AggregationRowsRead', unit: 'Count', dimensions: [] },
  /** tenant_usage_daily rows it inserted or updated, per run. */
  aggregationRowsWritten: { name: 'AggregationRowsWritten', unit: 'Count', dimensions: [] },
  /** How long a run took, milliseconds. */
  aggregationDuration: { name: 'AggregationDuration', unit: 'Milliseconds', dimensions: [] },
  /** Incidents a run opened (quota thresholds, error rate). */
  incidentsOpened: { name: 'IncidentsOpened', unit: 'Count', dimensions: [] },
} as const satisfies Record<string, { name: string; unit: 'Count' | 'Milliseconds'; dimensions: readonly string[] }>;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/** The command types, as the commands-by-status widgets split them (the contract's four). */
export const METRIC_COMMAND_TYPES = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'] as const;
