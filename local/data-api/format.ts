import type { ColumnMetadata, Field } from '@aws-sdk/client-rds-data';

/** What a backend returns: column types and the raw text PostgreSQL sent. */
export interface RawResult {
  fields: Array<{ name: string; dataTypeID: number }>;
  rows: Array<Array<string | null>>;
  affectedRows: number;
}

/** PostgreSQL type OIDs the formatter distinguishes. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
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

const TYPE_NAMES: Record<number, string> = {
  16: 'bool', 17: 'bytea', 20: 'int8', 21: 'int2', 23: 'int4', 26: 'oid', 25: 'text', 114: 'json', 700: 'float4', 701: 'float8',
  1043: 'varchar', 1042: 'bpchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1700: 'numeric', 2950: 'uuid', 3802: 'jsonb',
};

/**
 * One column value in the service's JSON record format: booleans and integers/floats as JSON
 * values; numeric (DECIMAL), json/jsonb, dates, times, timestamps and uuids as strings, as the
 * Data API returns them (json columns are not parsed; a timestamp has no `T` and no zone).
 */
function jsonValue(raw: string | null, oid: number): unknown {
  if (raw === null) return null;
  switch (oid) {
    case OID.bool:
      return raw === 't' || raw === 'true';
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return Number(raw);
    case OID.float4:
    case OID.float8: {
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
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

export function toJsonRecords(result: RawResult): string {
  const names = result.fields.map((f) => f.name);
  const records = result.rows.map((row) => {
    const record: Record<string, unknown> = {};
    row.forEach((raw, i) => {
      record[names[i]!] = jsonValue(raw, result.fields[i]!.dataTypeID);
    });
    return record;
  });
  return JSON.stringify(records);
}

function field(raw: string | null, oid: number): Field {
  if (raw === null) return { isNull: true };
  const v = jsonValue(raw, oid);
  if (typeof v === 'boolean') return { booleanValue: v };
  if (typeof v === 'number') return oid === OID.float4 || oid === OID.float8 ? { doubleValue: v } : { longValue: v };
  if (oid === OID.bytea) return { blobValue: Buffer.from(raw.slice(2), 'hex') };
  return { stringValue: String(v) };
}

export function toRecords(result: RawResult): Field[][] {
  return result.rows.map((row) => row.map((raw, i) => field(raw, result.fields[i]!.dataTypeID)));
}

export function toColumnMetadata(result: RawResult): ColumnMetadata[] {
  return result.fields.map((f) => ({
    name: f.name,
    label: f.name,
    typeName: TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}`,
    nullable: 1,
    schemaName: '',
    tableName: '',
  }));
}
