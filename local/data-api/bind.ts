import type { SqlParameter } from '@aws-sdk/client-rds-data';
import { DataApiError } from './errors';
import { findPlaceholders, replacePlaceholders } from './named-params';

export interface BoundStatement {
  text: string;
  values: Array<string | null>;
}

/**
 * Each Data API value kind binds as the PostgreSQL type the service binds it as. An un-hinted
 * stringValue is a varchar: comparing it with a uuid column fails here exactly as on Aurora.
 */
const HINT_CASTS: Record<string, string> = {
  UUID: 'uuid',
  JSON: 'json',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  DECIMAL: 'numeric',
};

/** The formats the service accepts for hinted strings: no `T`, no zone, no other separators. */
const HINT_FORMATS: Record<string, { pattern: RegExp; expected: string }> = {
  DATE: { pattern: /^\d{4}-\d{2}-\d{2}$/, expected: 'YYYY-MM-DD' },
  TIME: { pattern: /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/, expected: 'HH:MM:SS[.FFF]' },
  TIMESTAMP: { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/, expected: 'YYYY-MM-DD HH:MM:SS[.FFF]' },
};

interface Binding {
  value: string | null;
  cast?: string;
}

function bindOne(param: SqlParameter): Binding {
  const value = (param.value ?? {}) as Record<string, unknown>;
  const kinds = Object.keys(value).filter((k) => value[k] !== undefined);
  if (kinds.length !== 1) {
    throw new DataApiError('BadRequestException', `Parameter ${param.name ?? ''} must have exactly one value field`);
  }
  const kind = kinds[0]!;
  const hint = param.typeHint;
  if (hint !== undefined && !(hint in HINT_CASTS)) {
    throw new DataApiError('BadRequestException', `Invalid typeHint "${String(hint)}" for parameter ${param.name}`);
  }
  const hintCast = hint ? HINT_CASTS[hint] : undefined;

  switch (kind) {
    case 'isNull':
      return { value: null, cast: hintCast };
    case 'stringValue': {
      const s = value.stringValue;
      if (typeof s !== 'string') throw new DataApiError('BadRequestException', `Parameter ${param.name}: stringValue must be a string`);
      const format = hint ? HINT_FORMATS[hint] : undefined;
      if (format && !format.pattern.test(s)) {
        throw new DataApiError('BadRequestException', `Parameter ${param.name}: cannot parse "${s}" as ${hint}; expected ${format.expected}`);
      }
      return { value: s, cast: hintCast ?? 'varchar' };
    }
    case 'longValue':
      return { value: String(requireNumber(param, value.longValue, true)), cast: hintOnlyForStrings(param, 'int8') };
    case 'doubleValue':
      return { value: String(requireNumber(param, value.doubleValue, false)), cast: hintOnlyForStrings(param, 'float8') };
    case 'booleanValue':
      if (typeof value.booleanValue !== 'boolean') throw new DataApiError('BadRequestException', `Parameter ${param.name}: booleanValue must be a boolean`);
      return { value: value.booleanValue ? 'true' : 'false', cast: hintOnlyForStrings(param, 'bool') };
    case 'blobValue': {
      const raw = value.blobValue;
      const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64') : Buffer.from(raw as Uint8Array);
      return { value: `\\x${bytes.toString('hex')}`, cast: hintOnlyForStrings(param, 'bytea') };
    }
    case 'arrayValue':
      throw new DataApiError('BadRequestException', 'Array parameters are not supported.');
    default:
      throw new DataApiError('BadRequestException', `Parameter ${param.name}: unsupported value type ${kind}`);
  }
}

function hintOnlyForStrings(param: SqlParameter, cast: string): string {
  if (param.typeHint) throw new DataApiError('BadRequestException', `Parameter ${param.name}: typeHint ${param.typeHint} requires a stringValue`);
  return cast;
}

function requireNumber(param: SqlParameter, n: unknown, integer: boolean): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new DataApiError('BadRequestException', `Parameter ${param.name}: invalid ${integer ? 'longValue' : 'doubleValue'}`);
  }
  return n;
}

/** Turns `:name` placeholders plus Data API parameters into `$n` placeholders plus text values. */
export function bindParameters(sql: string, parameters: SqlParameter[] | undefined): BoundStatement {
  const byName = new Map<string, Binding>();
  for (const param of parameters ?? []) {
    if (!param || typeof param.name !== 'string' || param.name === '') {
      throw new DataApiError('BadRequestException', 'Every parameter needs a name (the Data API for PostgreSQL binds by name)');
    }
    if (byName.has(param.name)) throw new DataApiError('BadRequestException', `Parameter ${param.name} is given twice`);
    byName.set(param.name, bindOne(param));
  }

  const placeholders = findPlaceholders(sql);
  const order = new Map<string, number>();
  const values: Array<string | null> = [];
  for (const ph of placeholders) {
    if (!byName.has(ph.name)) {
      // The service leaves an unknown :name in the text, which PostgreSQL then rejects.
      throw new DataApiError('DatabaseErrorException', `ERROR: syntax error at or near ":"\n  Position: ${ph.start + 1}; SQLState: 42601`);
    }
    if (!order.has(ph.name)) {
      order.set(ph.name, values.length + 1);
      values.push(byName.get(ph.name)!.value);
    }
  }
  const text = replacePlaceholders(sql, placeholders, (name) => {
    const binding = byName.get(name)!;
    const ref = `$${order.get(name)}`;
    return binding.cast ? `${ref}::${binding.cast}` : ref;
  });
  return { text, values };
}
