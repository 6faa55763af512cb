import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools Tracer, when the function traces (`POWERTOOLS_TRACE_ENABLED=true`, which the CDK sets
 * from the stage config's `tracing`; off everywhere else, locally included).
 *
 * The tracer and the X-Ray SDK under it (~125 KB minified) are not bundled: they come from
 * Powertools' own Lambda layer at the same version (lib/constructs/app-function.ts), and are
 * required lazily, through the bundle's `require` (CommonJS resolution, which searches the layer's
 * /opt/nodejs/node_modules), so a function that does not trace never loads them.
 */
let tracer: Tracer | null | undefined;

/** The process-wide tracer, or undefined when this function does not trace. */
export function getTracer(): Tracer | undefined {
  if (tracer === undefined) {
    tracer =
      process.env.POWERTOOLS_TRACE_ENABLED === 'true'
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports
          new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer()
        : null;
  }
  return tracer ?? undefined;
}

/** An AWS SDK v3 client, with each of its calls recorded as an X-Ray subsegment when tracing is on. */
export function traceClient<T extends object>(client: T): T {
  getTracer()?.captureAWSv3Client(client);
  return client;
}

/**
 * Runs one invocation's work in its own subsegment (`## <name>`), with the cold-start and service
 * annotations and `annotations` (searchable in X-Ray: route, tenant, command type); an error is
 * attached as metadata and rethrown. Without tracing it only runs `work`.
 */
export async function withTrace<T>(name: string, annotations: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const active = getTracer();
  const parent = active?.getSegment();
  if (!active || !parent) return work();
  const subsegment = parent.addNewSubsegment(`## ${name}`);
  active.setSegment(subsegment);
  active.annotateColdStart();
  active.addServiceNameAnnotation();
  for (const [key, value] of Object.entries(annotations)) if (value !== undefined) active.putAnnotation(key, value);
  try {
    return await work();
  } catch (error) {
    active.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    active.setSegment(parent);
  }
}

/** Adds searchable annotations to the current subsegment (no-op without tracing). */
export function annotate(annotations: Record<string, string | undefined>): void {
  const active = getTracer();
  if (!active?.getSegment()) return;
  for (const [key, value] of Object.entries(annotations)) if (value !== undefined) active.putAnnotation(key, value);
}
