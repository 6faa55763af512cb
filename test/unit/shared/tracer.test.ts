import { join } from 'node:path';

type TracerModule = typeof import('../../../lambda/shared/tracer');

/** lambda/shared/tracer.ts in a fresh module graph, with `env` applied first (as a function's environment). */
function loadTracer(env: Record<string, string | undefined>): TracerModule {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let loaded: TracerModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(join(__dirname, '..', '..', '..', 'lambda', 'shared', 'tracer')) as TracerModule;
  });
  return loaded!;
}

const LAMBDA_LIKE = {
  POWERTOOLS_TRACE_ENABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: 'painel-test',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: '/var/task',
  // What Lambda sets for a sampled, traced invocation (the X-Ray SDK builds its facade segment from it).
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
};

describe('the Powertools tracer (lambda/shared/tracer.ts)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is not loaded at all when the function does not trace: clients and work pass through', async () => {
    const tracing = loadTracer({ POWERTOOLS_TRACE_ENABLED: undefined });
    expect(tracing.getTracer()).toBeUndefined();
    const client = { middlewareStack: { add: jest.fn(), use: jest.fn() } };
    expect(tracing.traceClient(client)).toBe(client);
    expect(client.middlewareStack.add).not.toHaveBeenCalled();
    expect(client.middlewareStack.use).not.toHaveBeenCalled();
    await expect(tracing.withTrace('x', { route: '/r' }, async () => 42)).resolves.toBe(42);
  });

  it('when it traces, runs each invocation in a "## name" subsegment with its annotations, and records an error', async () => {
    const tracing = loadTracer(LAMBDA_LIKE);
    const tracer = tracing.getTracer()!;
    expect(tracer).toBeDefined();
    expect(tracer.isTracingEnabled()).toBe(true);

    let inside: { name: string; annotations?: Record<string, unknown> } | undefined;
    await tracing.withTrace('GET /tenant/me', { route: '/tenant/me', tenant_id: undefined }, async () => {
      tracing.annotate({ tenant_id: 'tenant-1' });
      inside = tracer.getSegment() as unknown as { name: string; annotations?: Record<string, unknown> };
    });
    expect(inside!.name).toBe('## GET /tenant/me');
    expect(inside!.annotations).toMatchObject({ route: '/tenant/me', tenant_id: 'tenant-1', ColdStart: expect.any(Boolean), Service: expect.any(String) });

    let failed: { cause?: unknown; fault?: boolean; error?: boolean } | undefined;
    await expect(
      tracing.withTrace('job', {}, async () => {
        failed = tracer.getSegment() as never;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(JSON.stringify(failed)).toContain('boom');
  });
});
