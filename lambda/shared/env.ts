import * as z from './zod';

/** Environment variables are parsed once, at the edge, into typed values. */
const DbEnvSchema = z.object({
  DB_CLUSTER_ARN: z.string().check(z.minLength(1)),
  DB_SECRET_ARN: z.string().check(z.minLength(1)),
  DB_NAME: z._default(z.string().check(z.minLength(1)), 'painel'),
});
export type DbEnv = z.infer<typeof DbEnvSchema>;

const cache = new Map<z.core.$ZodType, unknown>();

/** Parses (once) the part of process.env a schema describes; a missing variable fails fast by name. */
export function loadEnv<S extends z.core.$ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  if (source === process.env && cache.has(schema)) return cache.get(schema) as z.infer<S>;
  const result = z.safeParse(schema, source);
  if (!result.success) {
    const names = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid or missing environment variables: ${names}`);
  }
  if (source === process.env) cache.set(schema, result.data);
  return result.data;
}

export const loadDbEnv = (source?: NodeJS.ProcessEnv): DbEnv => loadEnv(DbEnvSchema, source);
