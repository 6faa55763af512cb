import * as z from '../zod';
import { UuidSchema } from './schemas';

/** Building blocks of the response schemas, so every endpoint formats the same thing the same way. */

/** ISO 8601 in UTC with milliseconds and Z (the database formats it with `iso_utc`). */
export const TimestampSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/), z.describe('ISO 8601 UTC timestamp'));
/** A UTC calendar day. */
export const DateSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/), z.describe('UTC day, YYYY-MM-DD'));
/** A fraction of successful requests, 0–1 (0 when there were none: total_requests tells them apart). */
export const RateSchema = z.number().check(z.minimum(0), z.maximum(1), z.describe('fraction 0–1; 0 when there were no requests'));
export const CountSchema = z.int().check(z.minimum(0));
/** Milliseconds, averaged over requests (weighted by request count); 0 when there were none. */
export const MillisSchema = z.int().check(z.minimum(0));
/** BRL, two decimals. */
export const MoneySchema = z.number().check(z.minimum(0), z.describe('BRL'));
export const IdSchema = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/));

/** `?tenant_id=` on /tenant/*: staff may name a tenant; a tenant user may only name their own. */
export const TenantScopeQuerySchema = z.object({ tenant_id: z.optional(UuidSchema) });

export const TenantIdPathSchema = z.object({ id: UuidSchema });

/** The one error shape, for the API document. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.array(z.object({ field: z.string(), location: z.string(), message: z.string() }))),
  }),
  request_id: z.string(),
});
