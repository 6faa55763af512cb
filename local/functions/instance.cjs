// One Lambda execution environment of the local runtime (local/functions/index.ts): a worker thread
// with the function's own environment (process.env is the worker's copy), its own module graph
// (clients, logger, caches), running one invocation at a time, as Lambda runs a function instance.
// Plain CommonJS, so it starts the same under node, tsx and jest; the handler's TypeScript (and the
// tsconfig path aliases) load through tsx's require hook.
//
// Messages in:  { id, event, context: { awsRequestId, functionName, memoryLimitInMB, deadlineMs } }
// Messages out: { ready: true } once the handler module is loaded (its init phase),
//               { initError } if it could not be loaded,
//               { id, result } | { id, error: { name, message, stack } } per invocation.
const { parentPort, workerData } = require('node:worker_threads');

let handler;
try {
  require('tsx/cjs/api').register();
  handler = require(workerData.entry).handler;
  if (typeof handler !== 'function') throw new Error(`${workerData.entry} exports no handler function`);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ initError: { name: error?.name ?? 'Error', message: error?.message ?? String(error), stack: error?.stack } });
}

parentPort.on('message', async ({ id, event, context }) => {
  const lambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: context.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${context.functionName}`,
    memoryLimitInMB: String(context.memoryLimitInMB),
    awsRequestId: context.awsRequestId,
    logGroupName: `/aws/lambda/${context.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(event, lambdaContext);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error), stack: error?.stack } });
  }
});
