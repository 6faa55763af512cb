import { availableParallelism } from 'node:os';
import { localFunctionConcurrency } from '@local/config';

describe('localFunctionConcurrency', () => {
  const saved = process.env.LOCAL_FUNCTION_CONCURRENCY;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCAL_FUNCTION_CONCURRENCY;
    else process.env.LOCAL_FUNCTION_CONCURRENCY = saved;
  });

  test('defaults to the machine’s cores, at least 4', () => {
    delete process.env.LOCAL_FUNCTION_CONCURRENCY;
    expect(localFunctionConcurrency()).toBe(Math.max(4, availableParallelism()));
  });

  test('LOCAL_FUNCTION_CONCURRENCY sets it; anything but a positive integer is refused', () => {
    process.env.LOCAL_FUNCTION_CONCURRENCY = '7';
    expect(localFunctionConcurrency()).toBe(7);
    for (const bad of ['0', '-1', '2.5', 'many']) {
      process.env.LOCAL_FUNCTION_CONCURRENCY = bad;
      expect(() => localFunctionConcurrency()).toThrow(`LOCAL_FUNCTION_CONCURRENCY must be a positive integer, got "${bad}"`);
    }
  });
});
