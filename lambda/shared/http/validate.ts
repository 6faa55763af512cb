import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '../zod';
import { ValidationError } from '../errors';

export type InputLocation = 'path' | 'query' | 'body' | 'header';

const LABEL: Record<InputLocation, string> = {
  path: 'path parameter',
  query: 'query parameter',
  body: 'body field',
  header: 'header',
};

/** One entry of a ValidationError's `details`. */
export type FieldIssue = {
  field: string;
  location: InputLocation;
  message: string;
};

/**
 * Parses `value` with `schema`; on failure throws a ValidationError whose message names every
 * offending field, e.g. `Invalid query parameter "limit": must be an integer between 1 and 200`.
 */
export function parseInput<S extends z.core.$ZodType>(schema: S, value: unknown, where: InputLocation): z.infer<S> {
  const nul = findNul(value);
  // PostgreSQL text cannot hold U+0000: refused here, as the caller's 400, before it becomes a database error.
  if (nul !== undefined) throw fieldError(where, nul || where, 'must not contain the NUL character (U+0000)');
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;

  const details: FieldIssue[] = result.error.issues.map((issue) => ({
    // A root-level issue (e.g. body is not an object) is reported against the location itself.
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : where,
    location: where,
    message: issue.message,
  }));
  const plural = details.length > 1 ? 's' : '';
  const described = details.map((detail) => `"${detail.field}": ${detail.message}`).join('; ');
  throw new ValidationError(`Invalid ${LABEL[where]}${plural} ${described}`, details);
}

/** The path of the first string (or key) holding U+0000, '' for the value itself; undefined when none does. */
function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = findNul(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** One field's ValidationError, worded like parseInput's, for checks zod cannot make (e.g. against the database). */
export function fieldError(where: InputLocation, field: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${LABEL[where]} "${field}": ${message}`, [{ field, location: where, message }]);
}

/** Query string parameters (strings or absent, as API Gateway delivers them). */
export const parseQuery = <S extends z.core.$ZodType>(schema: S, event: APIGatewayProxyEvent): z.infer<S> =>
  parseInput(schema, event.queryStringParameters ?? {}, 'query');

/** Path parameters of the route template. */
export const parsePath = <S extends z.core.$ZodType>(schema: S, event: APIGatewayProxyEvent): z.infer<S> =>
  parseInput(schema, event.pathParameters ?? {}, 'path');

/** JSON body parsed with `parseJsonBody`, then validated. */
export const parseBody = <S extends z.core.$ZodType>(schema: S, event: APIGatewayProxyEvent): z.infer<S> =>
  parseInput(schema, parseJsonBody(event), 'body');

const bodyError = (message: string): ValidationError =>
  new ValidationError(message, [{ field: 'body', location: 'body', message }]);

/**
 * How deeply a request body's arrays and objects may nest. No body this API accepts goes past 4;
 * the limit keeps every recursive walk of a body (validation, the NUL check, JSON.stringify of
 * command parameters) far from the stack's end — a body nested 10,000 deep is a 400, not a crash.
 */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of `[`/`{` in JSON text (brackets inside strings ignored), scanned without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * The request body as a JSON object.
 * @throws ValidationError (400) when the body is absent, not JSON, nested deeper than
 *   MAX_JSON_DEPTH, or not an object.
 */
export function parseJsonBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') throw bodyError('Request body is required');
  if (jsonDepth(raw) > MAX_JSON_DEPTH) throw bodyError(`Request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bodyError('Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw bodyError('Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
