import * as z from 'zod';

/** Environment variables are parsed once, at the edge, into typed values. */
const DbEnvSchema = z.object({
  DB_CLUSTER_ARN: z.string().min(1),
  DB_SECRET_ARN: z.string().min(1),
  DB_NAME: z.string().min(1).default('painel'),
});
export type DbEnv = z.infer<typeof DbEnvSchema>;

const cache = new Map<z.ZodType, unknown>();

/** Parses (once) the part of process.env a schema describes; a missing variable fails fast by name. */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  if (source === process.env && cache.has(schema)) return cache.get(schema) as z.infer<S>;
  const result = schema.safeParse(source);
  if (!result.success) {
    const names = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid or missing environment variables: ${names}`);
  }
  if (source === process.env) cache.set(schema, result.data);
  return result.data;
}

export const loadDbEnv = (source?: NodeJS.ProcessEnv): DbEnv => loadEnv(DbEnvSchema, source);
