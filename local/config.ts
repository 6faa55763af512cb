import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** The local stand-ins' fixed identities and default ports (DESIGN.md, "Local contract"). */
/** Where `npm run dev` keeps its data; PAINEL_LOCAL_DIR moves it (the end-to-end test uses a temporary one). */
export const LOCAL_DIR = process.env.PAINEL_LOCAL_DIR ?? join(__dirname, '..', '.local');
export const ENDPOINTS_FILE = join(LOCAL_DIR, 'endpoints.json');
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export const LOCAL_DATA_API = {
  resourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:painel-local`,
  /** The cluster owner's secret: statements run as the backend's own (superuser) connection. */
  secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:painel-local-db`,
  /** The read-only role's secret (READER_ROLE): statements run as that role (SET LOCAL ROLE). */
  readerSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:painel-local-db-reader`,
  database: 'painel',
} as const;

/** secretsManager is not in endpoints.json: only handlers talk to it, through AWS_ENDPOINT_URL_SECRETS_MANAGER. */
export const DEFAULT_PORTS = { web: 3000, api: 4000, idp: 4010, dataApi: 4020, dynamodb: 4030, secretsManager: 4040 } as const;

/** A port from the environment (e.g. DATA_API_PORT=0 picks a free one), else the default. */
export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}

/** Dummy credentials: the SDK insists on signing, the local endpoints do not check. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * How many instances of one function `npm run dev` runs at once (LOCAL_FUNCTION_CONCURRENCY;
 * default: the machine's cores, at least 4). Lambda would start an execution environment per
 * concurrent request; on one machine many more instances than cores only add V8 heaps, garbage
 * collection and JIT warm-up (measured on the 2-core bench machine: 10 instances per route cost
 * ~40% more CPU per request than 2), while too few leave requests queued behind instances that
 * are only waiting for the database or DynamoDB (each request's rate-limit write: 4 instances
 * served the tenant list ~20% faster than 2). ~40 MB of memory each. Invocations beyond it wait
 * for a free instance; each instance still runs one invocation at a time (docs/fidelity.md).
 * @throws Error when the variable is set but is not a positive integer.
 */
export function localFunctionConcurrency(): number {
  const raw = process.env.LOCAL_FUNCTION_CONCURRENCY;
  if (raw === undefined || raw === '') return Math.max(4, availableParallelism());
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`LOCAL_FUNCTION_CONCURRENCY must be a positive integer, got "${raw}"`);
  return value;
}
