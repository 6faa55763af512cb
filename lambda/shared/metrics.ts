import { Metrics } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS, type BusinessMetric } from './business-metrics';
import { loadEnv } from './env';
import { logger } from './logger';
import * as z from './zod';

const MetricsEnvSchema = z.object({
  POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), 'painel-operacional'),
  /** `Painel/<stage>` in AWS (set by the CDK); the local runtime and tests disable metrics unless a test asks for them. */
  POWERTOOLS_METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1)), 'Painel/local'),
});

let metrics: Metrics | undefined;

function getMetrics(): Metrics {
  if (!metrics) {
    const env = loadEnv(MetricsEnvSchema);
    metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, serviceName: env.POWERTOOLS_SERVICE_NAME, logger });
  }
  return metrics;
}

/**
 * Publishes one business figure at once, as its own EMF document on stdout (CloudWatch turns it
 * into a metric; no API call, no latency). `dimensions` must name exactly the metric's declared
 * dimensions (BUSINESS_METRICS), so the dashboard's queries find it. Disabled when
 * POWERTOOLS_METRICS_DISABLED=true. Never throws: a metric is not worth failing the work it counts.
 */
export function recordMetric(metric: BusinessMetric, value: number, dimensions: Record<string, string> = {}): void {
  const declaration = BUSINESS_METRICS[metric];
  try {
    const single = getMetrics().singleMetric();
    for (const name of declaration.dimensions) single.addDimension(name, dimensions[name] ?? 'unknown');
    single.addMetric(declaration.name, declaration.unit, value);
  } catch (error) {
    logger.warn('metric not published', { metric: declaration.name, error: error instanceof Error ? error.message : String(error) });
  }
}
