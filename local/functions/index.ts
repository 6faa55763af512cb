import { randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';

export { functionEnvironment, type LocalStandIns } from './environment';

/** A function as the local runtime runs it, from the same declarations the CDK reads. */
export interface LocalFunctionDefinition {
  /** Shown in logs and in the Context (functionName). */
  name: string;
  /** Entry file under lambda/ (as the manifests name it), or an absolute path; it exports `handler`. */
  entry: string;
  /** The function's environment, on top of this process's own (AWS_REGION, LOG_LEVEL…). */
  environment: Record<string, string>;
  /** Lambda's timeout: past it the instance is stopped and the invocation fails, as in AWS. */
  timeoutSeconds: number;
  memoryMB?: number;
  /** At most this many instances at once (Lambda's concurrency); further invocations wait. @default 10 */
  maxConcurrency?: number;
  /** An idle instance is stopped after this long. @default 120 s */
  idleMs?: number;
}

/** What `invoke` rejects with when the function failed (its error) or timed out. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}

interface Instance {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

const LAMBDA_DIR = join(__dirname, '..', '..', 'lambda');
const INSTANCE_SCRIPT = join(__dirname, 'instance.cjs');

/**
 * One function of the local runtime, run as Lambda runs it: each execution environment (instance)
 * is a worker thread with the function's own environment and module graph, and handles one
 * invocation at a time; an invocation that finds every instance busy gets a new one (a cold start,
 * its module loaded again), up to `maxConcurrency`. So concurrent invocations never share a
 * logger's keys, a batch processor or any module state, and each function sees only its own
 * environment variables (its database role, its table).
 */
export class LocalFunction {
  private readonly instances = new Set<Instance>();
  private readonly waiting: Array<() => void> = [];
  private stopped = false;

  constructor(readonly definition: LocalFunctionDefinition) {}

  /** Instances alive now (busy or idle). */
  get size(): number {
    return this.instances.size;
  }

  /**
   * Runs one invocation on a free instance and resolves with the handler's result.
   * @throws FunctionError when the handler throws, times out, or its module fails to load.
   */
  async invoke<R = unknown>(event: unknown, requestId: string = randomUUID()): Promise<R> {
    const instance = await this.acquire();
    try {
      try {
        await instance.ready;
      } catch (error) {
        // A failed init phase discards the environment; the next invocation starts a new one.
        await this.retire(instance);
        throw error;
      }
      return await this.run<R>(instance, event, requestId);
    } finally {
      this.release(instance);
    }
  }

  /** Stops every instance (an invocation under way fails). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.instances].map((instance) => this.retire(instance)));
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async acquire(): Promise<Instance> {
    for (;;) {
      if (this.stopped) throw new FunctionError(this.definition.name, 'Stopped', 'the local runtime is stopping');
      const idle = [...this.instances].find((instance) => !instance.busy);
      if (idle) {
        clearTimeout(idle.idleTimer);
        idle.busy = true;
        return idle;
      }
      if (this.instances.size < (this.definition.maxConcurrency ?? 10)) {
        const instance = this.spawn();
        instance.busy = true;
        return instance;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(instance: Instance): void {
    instance.busy = false;
    if (this.instances.has(instance)) {
      instance.idleTimer = setTimeout(() => void this.retire(instance), this.definition.idleMs ?? 120_000);
      instance.idleTimer.unref();
    }
    // A waiting invocation takes this instance, or the room a retired one left.
    this.waiting.shift()?.();
  }

  private spawn(): Instance {
    const { definition } = this;
    const worker = new Worker(INSTANCE_SCRIPT, {
      workerData: { entry: isAbsolute(definition.entry) ? definition.entry : join(LAMBDA_DIR, definition.entry) },
      env: { ...process.env, ...definition.environment, AWS_LAMBDA_FUNCTION_NAME: definition.name },
      // The handler's own modules load through tsx's hook; the parent's loader flags are not needed.
      execArgv: [],
    });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; initError?: { name: string; message: string } }) => {
        if (message.ready) resolve();
        else if (message.initError) reject(new FunctionError(definition.name, 'Runtime.ImportModuleError', `${message.initError.name}: ${message.initError.message}`));
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    const instance: Instance = { worker, ready, busy: false };
    worker.once('exit', () => this.instances.delete(instance));
    this.instances.add(instance);
    return instance;
  }

  private run<R>(instance: Instance, event: unknown, requestId: string): Promise<R> {
    const { definition } = this;
    const timeoutMs = definition.timeoutSeconds * 1000;
    return new Promise<R>((resolve, reject) => {
      const id = randomUUID();
      const onMessage = (message: { id?: string; result?: R; error?: { name: string; message: string } }) => {
        if (message.id !== id) return;
        done();
        if (message.error) reject(new FunctionError(definition.name, message.error.name, message.error.message));
        else resolve(message.result as R);
      };
      const onExit = () => {
        done();
        reject(new FunctionError(definition.name, 'Runtime.ExitError', 'the instance exited during the invocation'));
      };
      // As Lambda: past the timeout the environment is stopped, whatever the handler was doing.
      const timer = setTimeout(() => {
        done();
        void this.retire(instance);
        reject(new FunctionError(definition.name, 'Sandbox.Timedout', `Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        instance.worker.off('message', onMessage);
        instance.worker.off('exit', onExit);
        instance.worker.unref();
      };
      instance.worker.ref();
      instance.worker.on('message', onMessage);
      instance.worker.once('exit', onExit);
      instance.worker.postMessage({
        id,
        event,
        context: { awsRequestId: requestId, functionName: definition.name, memoryLimitInMB: definition.memoryMB ?? 512, deadlineMs: Date.now() + timeoutMs },
      });
    });
  }

  private async retire(instance: Instance): Promise<void> {
    clearTimeout(instance.idleTimer);
    this.instances.delete(instance);
    await instance.worker.terminate().catch(() => undefined);
  }
}
