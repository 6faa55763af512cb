import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/** A function for the local runtime's tests: says which instance ran it and what it saw. */
const instance = randomUUID();
let running = 0;

export const handler = async (event: { ms?: number; fail?: string; variable?: string }, context: Context) => {
  running++;
  try {
    if (event.fail) throw Object.assign(new Error(event.fail), { name: 'ProbeError' });
    await new Promise((resolve) => setTimeout(resolve, event.ms ?? 0));
    return {
      instance,
      threadId,
      // More than one invocation at once in this instance would show here.
      concurrent: running,
      variable: event.variable ? (process.env[event.variable] ?? null) : null,
      requestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
    };
  } finally {
    running--;
  }
};
