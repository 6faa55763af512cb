import * as z from '../zod';
import { loadEnv } from '../env';

/**
 * CORS for the web app's origins. With a Lambda proxy integration API Gateway only answers the
 * preflight; every actual response must carry Access-Control-Allow-Origin itself, or the browser
 * hides it (a 401 included, which must reach the app so it can send the user to sign in).
 */
const CorsEnvSchema = z.object({
  /** Comma-separated origins allowed to call the API (the CDK stage config and `npm run dev` set it). */
  ALLOWED_ORIGINS: z._default(z.string(), ''),
});

export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'OPTIONS'] as const;
export const CORS_EXPOSE_HEADERS = ['Idempotent-Replayed', 'Retry-After'] as const;
export const CORS_MAX_AGE_SECONDS = 600;

export function allowedOrigins(source?: NodeJS.ProcessEnv): string[] {
  return loadEnv(CorsEnvSchema, source)
    .ALLOWED_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** The CORS headers for a request from `origin` (none when the origin is not allowed). */
export function corsHeaders(origin: string | undefined, allowed: readonly string[] = allowedOrigins()): Record<string, string> {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(', '),
    Vary: 'Origin',
  };
}

/** A header's value, whatever case the client sent its name in. */
export function headerValue(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
