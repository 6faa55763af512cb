/**
 * The Data API's result formats, from what a backend returns (column type OIDs and PostgreSQL's
 * text). Rules taken from the service ("Calling the Amazon RDS Data API" and "Amazon RDS Data API
 * operations reference", Aurora User Guide; the rds-data service model):
 * - JSON records (`formatRecordsAs: JSON`): booleans and numbers as JSON values, everything else
 *   (numeric/DECIMAL, json, dates, times, timestamps without zone, uuids) as strings, bytea base64;
 * - typed records: `longValue` (int2/int4/int8 — written with every digit, so a 64-bit value keeps
 *   its precision in the JSON text), `doubleValue`, `booleanValue`, `stringValue`, `blobValue`
 *   (base64 on the wire), `arrayValue`, `isNull`;
 * - `resultSetOptions`: `decimalReturnType` STRING (default) or DOUBLE_OR_LONG (a Long when the
 *   value has no fraction, else a Double); `longReturnType` LONG (default) or STRING;
 * - result types outside the documented list fail the call (UnsupportedResultException).
 */

/** What a backend returns: column types and the raw text PostgreSQL sent. */
export interface RawResult {
  fields: Array<{ name: string; dataTypeID: number }>;
  rows: Array<Array<string | null>>;
  affectedRows: number;
}

export interface ResultSetOptions {
  decimalReturnType?: 'STRING' | 'DOUBLE_OR_LONG';
  longReturnType?: 'STRING' | 'LONG';
}

/** PostgreSQL type OIDs the formatter distinguishes. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/**
 * The scalar types the Data API returns for Aurora PostgreSQL (Serverless v2 and provisioned
 * clusters: "RDS Data API supports following Aurora PostgreSQL scalar types" — BOOL, BYTEA, DATE,
 * CIDR, DECIMAL/NUMERIC, ENUM, FLOAT8, INET, INT/INT4, INT2, INT8, JSONB/JSON, REAL, TEXT/CHAR(N)/
 * VARCHAR/NAME, TIME, TIMESTAMP, UUID), by OID, with their names; timestamptz is returned as a
 * TIMESTAMP. Enums are user types, recognised by the caller (their OIDs are not fixed).
 */
export const SUPPORTED_SCALARS: Readonly<Record<number, string>> = {
  16: 'bool', 17: 'bytea', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 114: 'json', 650: 'cidr', 700: 'float4',
  701: 'float8', 869: 'inet', 1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz',
  1700: 'numeric', 2950: 'uuid', 3802: 'jsonb',
};

/** One-dimensional arrays of the supported scalars (`arrayValue`). */
export const SUPPORTED_ARRAYS: Readonly<Record<number, string>> = {
  1000: '_bool', 1001: '_bytea', 1003: '_name', 1005: '_int2', 1007: '_int4', 1009: '_text', 1014: '_bpchar', 1015: '_varchar',
  1016: '_int8', 1021: '_float4', 1022: '_float8', 1231: '_numeric', 199: '_json', 3807: '_jsonb',
};

const INTEGERS: ReadonlySet<number> = new Set([OID.int2, OID.int4, OID.int8]);

/** A JSON value written verbatim into the response text (a 64-bit integer with all its digits). */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, with RawJson values written as they are. */
export function stringify(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      marks.push(v.text);
      return `\u0000raw${marks.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_, i: string) => marks[Number(i)]!);
}

function numeric(raw: string, options: ResultSetOptions): unknown {
  if (options.decimalReturnType !== 'DOUBLE_OR_LONG') return raw;
  return /^-?\d+$/.test(raw) ? new RawJson(raw) : Number(raw);
}

/** One column value in the service's JSON record format. */
function jsonValue(raw: string | null, oid: number, options: ResultSetOptions): unknown {
  if (raw === null) return null;
  switch (oid) {
    case OID.bool:
      return raw === 't' || raw === 'true';
    case OID.int2:
    case OID.int4:
    case OID.int8:
      return options.longReturnType === 'STRING' ? raw : new RawJson(raw);
    case OID.float4:
    case OID.float8: {
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case OID.numeric:
      return numeric(raw, options);
    case OID.timestamptz:
      return stripUtcOffset(raw);
    case OID.bytea:
      return Buffer.from(raw.slice(2), 'hex').toString('base64');
    default:
      return raw;
  }
}

/** Sessions run with TimeZone=UTC, so every timestamptz arrives as "…+00"; the service drops the zone. */
function stripUtcOffset(raw: string): string {
  return raw.replace(/\+00(:00)?$/, '');
}

/** `formattedRecords`: the rows as one JSON array of objects. */
export function toJsonRecords(result: RawResult, options: ResultSetOptions = {}): string {
  const names = result.fields.map((f) => f.name);
  const records = result.rows.map((row) => {
    const record: Record<string, unknown> = {};
    row.forEach((raw, i) => {
      record[names[i]!] = jsonValue(raw, result.fields[i]!.dataTypeID, options);
    });
    return record;
  });
  return stringify(records);
}

type Field = Record<string, unknown>;

function field(raw: string | null, oid: number, options: ResultSetOptions): Field {
  if (raw === null) return { isNull: true };
  if (oid === OID.bytea) return { blobValue: Buffer.from(raw.slice(2), 'hex').toString('base64') };
  if (oid in SUPPORTED_ARRAYS) return { arrayValue: arrayValue(raw, oid) };
  if (oid === OID.numeric && options.decimalReturnType === 'DOUBLE_OR_LONG') {
    return /^-?\d+$/.test(raw) ? { longValue: new RawJson(raw) } : { doubleValue: Number(raw) };
  }
  const v = jsonValue(raw, oid, options);
  if (typeof v === 'boolean') return { booleanValue: v };
  if (v instanceof RawJson) return { longValue: v };
  if (typeof v === 'number') return { doubleValue: v };
  return { stringValue: String(v) };
}

/** PostgreSQL's one-dimensional array text (`{a,"b c",NULL}`) as the service's arrayValue. */
function arrayValue(raw: string, oid: number): Field {
  const items: Array<string | null> = [];
  const body = raw.slice(1, -1);
  for (let i = 0; i < body.length; ) {
    if (body[i] === '"') {
      let value = '';
      for (i++; body[i] !== '"'; i++) value += body[i] === '\\' ? body[++i] : body[i];
      items.push(value);
      i += 2;
    } else {
      const end = body.indexOf(',', i);
      const token = body.slice(i, end === -1 ? body.length : end);
      items.push(token === 'NULL' ? null : token);
      i = end === -1 ? body.length : end + 1;
    }
  }
  const present = items.filter((item): item is string => item !== null);
  if (oid === 1000) return { booleanValues: present.map((item) => item === 't') };
  if ([1005, 1007, 1016].includes(oid)) return { longValues: present.map((item) => new RawJson(item)) };
  if ([1021, 1022].includes(oid)) return { doubleValues: present.map(Number) };
  return { stringValues: present };
}

/** `records`: one array of typed fields per row. */
export function toRecords(result: RawResult, options: ResultSetOptions = {}): Field[][] {
  return result.rows.map((row) => row.map((raw, i) => field(raw, result.fields[i]!.dataTypeID, options)));
}

/** `columnMetadata`, for includeResultMetadata. */
export function toColumnMetadata(result: RawResult): Field[] {
  return result.fields.map((f) => ({
    name: f.name,
    label: f.name,
    typeName: SUPPORTED_SCALARS[f.dataTypeID] ?? SUPPORTED_ARRAYS[f.dataTypeID] ?? 'enum',
    nullable: 1,
    schemaName: '',
    tableName: '',
    arrayBaseColumnType: 0,
    isAutoIncrement: false,
    isCaseSensitive: true,
    isCurrency: false,
    isSigned: INTEGERS.has(f.dataTypeID) || f.dataTypeID === OID.numeric,
    precision: 0,
    scale: 0,
    type: 0,
  }));
}

/** The Data API's limit on one result row, bytes ("Packet for query is too large"). */
export const MAX_ROW_BYTES = 64 * 1024;

/** The first row over `limit` bytes (the sum of its values' text), or -1. */
export function oversizedRow(result: RawResult, limit = MAX_ROW_BYTES): number {
  return result.rows.findIndex((row) => row.reduce((bytes, raw) => bytes + (raw === null ? 0 : Buffer.byteLength(raw)), 0) > limit);
}
