import { randomUUID } from 'node:crypto';
import { InvokeStore, type InvokeStoreBase } from '@aws/lambda-invoke-store';

/**
 * Concurrent invocations in one process, as Lambda's multi-concurrency runtime runs them: with
 * AWS_LAMBDA_MAX_CONCURRENCY set and an InvokeStore on `globalThis.awslambda`, Powertools keeps
 * each invocation's logger keys (request id, tenant, user) in that invocation's own context, so
 * the local gateway can serve requests in parallel without one request's keys leaking into
 * another's log lines. Every in-process invocation (routes, stream batches, schedules) goes
 * through `invoke`.
 */
let store: Promise<InvokeStoreBase> | undefined;

function invokeStore(): Promise<InvokeStoreBase> {
  if (!store) {
    process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
    store = InvokeStore.getInstanceAsync(true).then((instance) => {
      const global = globalThis as unknown as { awslambda?: { InvokeStore?: InvokeStoreBase } };
      global.awslambda = { ...global.awslambda, InvokeStore: instance };
      return instance;
    });
  }
  return store;
}

/** Runs one invocation in its own context. */
export async function invoke<T>(fn: () => Promise<T>, requestId: string = randomUUID()): Promise<T> {
  const instance = await invokeStore();
  const keys = (instance.constructor as typeof InvokeStoreBase).PROTECTED_KEYS;
  return instance.run({ [keys.REQUEST_ID]: requestId }, fn);
}

/** Call before loading handler modules, so their logger sees the concurrent runtime from the start. */
export const prepareRuntime = (): Promise<unknown> => invokeStore();
