import { join } from 'node:path';
import { FunctionError, LocalFunction } from '@local/functions';

/**
 * Issue 18: the local runtime runs a function as Lambda does — one invocation at a time per
 * instance, a new instance for a concurrent invocation, each instance with the function's own
 * environment and module state, the timeout enforced.
 */
const PROBE = join(__dirname, '..', '..', 'support', 'functions', 'probe.ts');

interface Probe {
  instance: string;
  threadId: number;
  concurrent: number;
  variable: string | null;
  requestId: string;
  remainingMs: number;
}

describe('LocalFunction', () => {
  const functions: LocalFunction[] = [];
  const make = (overrides: Partial<ConstructorParameters<typeof LocalFunction>[0]> = {}) => {
    const fn = new LocalFunction({ name: 'probe', entry: PROBE, environment: { PROBE_VALUE: 'one' }, timeoutSeconds: 5, ...overrides });
    functions.push(fn);
    return fn;
  };
  afterAll(async () => {
    await Promise.all(functions.map((fn) => fn.stop()));
  });

  test('concurrent invocations get their own instances, each running one invocation at a time; a later one reuses a warm instance', async () => {
    const fn = make();
    const results = await Promise.all(Array.from({ length: 5 }, () => fn.invoke<Probe>({ ms: 200 })));
    expect(new Set(results.map((r) => r.instance)).size).toBe(5);
    expect(results.every((r) => r.concurrent === 1)).toBe(true);
    expect(fn.size).toBe(5);
    const warm = await fn.invoke<Probe>({});
    expect(results.map((r) => r.instance)).toContain(warm.instance);
    expect(fn.size).toBe(5);
  }, 60_000);

  test('each function sees its own environment, and the context Lambda gives', async () => {
    const one = make();
    const two = make({ environment: { PROBE_VALUE: 'two' } });
    const [a, b] = await Promise.all([one.invoke<Probe>({ variable: 'PROBE_VALUE' }, 'request-1'), two.invoke<Probe>({ variable: 'PROBE_VALUE' }, 'request-2')]);
    expect([a.variable, b.variable]).toEqual(['one', 'two']);
    expect(a.requestId).toBe('request-1');
    expect(a.remainingMs).toBeGreaterThan(0);
    expect(a.remainingMs).toBeLessThanOrEqual(5_000);
    expect(process.env.PROBE_VALUE).toBeUndefined();
  }, 60_000);

  test('past its timeout an invocation fails as Lambda reports it, and the next one gets a fresh instance', async () => {
    const fn = make({ timeoutSeconds: 1 });
    const first = await fn.invoke<Probe>({});
    const error = await fn.invoke({ ms: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({ errorType: 'Sandbox.Timedout', message: 'Task timed out after 1.00 seconds' });
    const next = await fn.invoke<Probe>({});
    expect(next.instance).not.toBe(first.instance);
  }, 60_000);

  test("a handler's error reaches the caller with its name and message; the instance stays", async () => {
    const fn = make();
    await expect(fn.invoke({ fail: 'it broke' })).rejects.toMatchObject({ errorType: 'ProbeError', message: 'it broke' });
    await expect(fn.invoke<Probe>({})).resolves.toMatchObject({ concurrent: 1 });
  }, 60_000);

  test('at most maxConcurrency instances: further invocations wait for one', async () => {
    const fn = make({ maxConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => fn.invoke<Probe>({ ms: 100 })));
    expect(new Set(results.map((r) => r.instance)).size).toBe(2);
    expect(results.every((r) => r.concurrent === 1)).toBe(true);
  }, 60_000);
});
