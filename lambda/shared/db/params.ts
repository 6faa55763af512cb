import type { SqlParameter, TypeHint } from '@aws-sdk/client-rds-data';

/**
 * A typed Data API parameter value. Every non-text value carries an explicit type: the Data API
 * binds an un-hinted string as text/varchar, so `uuid_col = :id` fails without `uuid()`.
 */
export type SqlParam = Omit<SqlParameter, 'name'>;
export type SqlParams = Record<string, SqlParam>;

const NULL: SqlParameter['value'] = { isNull: true };

function hinted(value: string | null | undefined, typeHint: TypeHint): SqlParam {
  return value == null ? { value: NULL, typeHint } : { value: { stringValue: value }, typeHint };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a Date in UTC, or the string as given. */
export function toSqlDate(value: Date | string): string {
  if (typeof value === 'string') return value;
  return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/** `YYYY-MM-DD HH:MM:SS.fff` in UTC: the only TIMESTAMP format the Data API accepts (no `T`, no `Z`). */
export function toSqlTimestamp(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError(`invalid timestamp: ${String(value)}`);
  return `${toSqlDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function integer(value: number | bigint | null | undefined): SqlParam {
  if (value == null) return { value: NULL };
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return { value: { longValue: Number(value) } };
}

/** Parameter builders: `db.query(sql, { id: p.uuid(id), day: p.date('2024-01-31') })`. */
export const p = {
  text: (value: string | null | undefined): SqlParam => (value == null ? { value: NULL } : { value: { stringValue: value } }),
  uuid: (value: string | null | undefined) => hinted(value, 'UUID'),
  json: (value: unknown): SqlParam => (value === undefined || value === null ? { value: NULL, typeHint: 'JSON' } : hinted(JSON.stringify(value), 'JSON')),
  date: (value: Date | string | null | undefined) => hinted(value == null ? value : toSqlDate(value), 'DATE'),
  timestamp: (value: Date | string | null | undefined) => hinted(value == null ? value : toSqlTimestamp(value), 'TIMESTAMP'),
  decimal: (value: number | string | null | undefined) => hinted(value == null ? value : String(value), 'DECIMAL'),
  int: integer,
  bigint: integer,
  float: (value: number | null | undefined): SqlParam => (value == null ? { value: NULL } : { value: { doubleValue: value } }),
  bool: (value: boolean | null | undefined): SqlParam => (value == null ? { value: NULL } : { value: { booleanValue: value } }),
  null: (): SqlParam => ({ value: NULL }),
  /**
   * A list of uuids, for `= ANY(CAST(:ids AS uuid[]))`: the Data API refuses array parameters, so
   * the list travels as a PostgreSQL array literal in a text parameter.
   */
  uuidList: (values: readonly string[]): SqlParam => ({ value: { stringValue: `{${values.join(',')}}` } }),
  /** A list of strings for `= ANY(CAST(:xs AS text[]))`, quoted as PostgreSQL array elements. */
  textList: (values: readonly string[]): SqlParam => ({
    value: { stringValue: `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}` },
  }),
} as const;

export function toSqlParameters(params: SqlParams | undefined): SqlParameter[] | undefined {
  if (!params) return undefined;
  return Object.entries(params).map(([name, param]) => ({ name, ...param }));
}
