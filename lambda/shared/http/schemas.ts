import * as z from '../zod';

/**
 * Reusable zod pieces for API Gateway input. Query strings and path parameters arrive as strings
 * (or are absent), so numeric parameters are parsed from strings here rather than with z.coerce,
 * which would accept '', '1e3' and ' 1 '.
 */

/** 8-4-4-4-12 hex; deliberately not RFC-version-checked so seeded/test ids are accepted. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** A UUID, normalised to lower case so it compares equal to the ids Postgres returns. */
export const UuidSchema = z.pipe(
  z.string().check(z.regex(UUID_PATTERN, { message: 'must be a UUID' })),
  z.transform((value: string) => value.toLowerCase()),
);

/** Postgres `integer`: anything larger would fail when bound, as a 500 instead of a 400. */
const PG_INT_MAX = 2_147_483_647;

function integerParam(min: number, max: number, fallback: number) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((raw: string | undefined, ctx) => {
      if (raw === undefined) return fallback;
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.issues.push({ code: 'custom', message: `must be an integer between ${min} and ${max}`, input: raw });
        return z.NEVER;
      }
      return value;
    }),
  );
}

/** Page size: a positive integer string, at most `max`. */
export const limitSchema = (fallback: number, max = 200) => integerParam(1, max, fallback);

/** Rows to skip: a non-negative integer string. */
export const offsetSchema = integerParam(0, PG_INT_MAX, 0);

/** One of `values`, `fallback` when absent; an empty string is rejected, not defaulted. */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z._default(z.enum(values), fallback);
}

export const PERIODS = ['7d', '30d', '90d'] as const;
export type Period = (typeof PERIODS)[number];
export const periodSchema = enumParam(PERIODS, '30d');
