import { Logger } from '@aws-lambda-powertools/logger';
import * as z from './zod';
import { loadEnv } from './env';

const LoggerEnvSchema = z.object({
  POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), 'painel-operacional'),
  LOG_LEVEL: z._default(
    z.pipe(
      z.pipe(z.string(), z.transform((level) => level.toUpperCase())),
      z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']),
    ),
    'INFO',
  ),
});

export const REDACTED = '[REDACTED]';

/**
 * Key suffixes (compared lower-cased with separators removed, so `Authorization`, `id_token`,
 * `refreshToken`, `DB_PASSWORD`, `SecretString`, `secretValue`, `x-api-key` all match) whose
 * values must never be written. Suffix rather than substring so `tokens_used` or `secretArn` stay.
 */
const SENSITIVE_SUFFIXES = [
  'authorization',
  'token',
  'password',
  'passwd',
  'secret',
  'secretvalue',
  'secretstring',
  'credential',
  'credentials',
  'apikey',
  'cookie',
];

export function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[^a-z]/g, '');
  return normalised !== '' && SENSITIVE_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

/**
 * Redaction is done in the JSON replacer Powertools applies when it serialises each log line:
 * JSON.stringify calls it for every key at every depth (appended keys, extra attributes, nested
 * objects such as a logged event's headers), so nothing has to be sanitised at the call site.
 * It does not inspect free text: never interpolate secrets into a log message.
 */
export function redactSensitive(key: string, value: unknown): unknown {
  return isSensitiveKey(key) ? REDACTED : value;
}

const env = loadEnv(LoggerEnvSchema);

/** The process-wide logger: JSON lines on stdout, one instance per Lambda runtime. */
export const logger = new Logger({
  serviceName: env.POWERTOOLS_SERVICE_NAME,
  logLevel: env.LOG_LEVEL,
  jsonReplacerFn: redactSensitive,
});

/** The logger's type, for functions that take it as a dependency. */
export type AppLogger = typeof logger;

export type LogKeys = NonNullable<Parameters<Logger['appendKeys']>[0]>;

/**
 * Runs `fn` with `keys` on every log line and clears all temporary keys before and after, so a
 * warm container never carries one request's tenant or user into the next invocation.
 *
 * Keys live on the shared logger, so deep code that imports `logger` gets them too. Outside
 * Lambda's own per-invocation store (AWS_LAMBDA_MAX_CONCURRENCY) concurrent invocations in one
 * process would share them; a runtime doing that must run each invocation in its own store.
 */
export async function withLogKeys<T>(keys: LogKeys, fn: () => Promise<T>): Promise<T> {
  logger.resetKeys();
  logger.appendKeys(keys);
  try {
    return await fn();
  } finally {
    logger.resetKeys();
  }
}
