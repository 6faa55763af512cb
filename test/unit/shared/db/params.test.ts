import { p, toSqlTimestamp, toSqlDate } from '@shared/db';

describe('parameter builders', () => {
  test('timestamps use the only format the Data API accepts: UTC, no T, no Z', () => {
    expect(toSqlTimestamp(new Date('2024-01-02T03:04:05.006Z'))).toBe('2024-01-02 03:04:05.006');
    expect(toSqlTimestamp('2024-01-02T03:04:05-03:00')).toBe('2024-01-02 06:04:05.000');
    expect(() => toSqlTimestamp('yesterday')).toThrow(RangeError);
  });

  test('dates are the UTC calendar day', () => {
    expect(toSqlDate(new Date('2024-01-31T23:59:59.999Z'))).toBe('2024-01-31');
  });

  test('every non-text value carries its type', () => {
    expect(p.uuid('00000000-0000-4000-8000-000000000000')).toEqual({ value: { stringValue: '00000000-0000-4000-8000-000000000000' }, typeHint: 'UUID' });
    expect(p.json({ a: 1 })).toEqual({ value: { stringValue: '{"a":1}' }, typeHint: 'JSON' });
    expect(p.decimal(12.5)).toEqual({ value: { stringValue: '12.5' }, typeHint: 'DECIMAL' });
    expect(p.int(3)).toEqual({ value: { longValue: 3 } });
    expect(p.bool(false)).toEqual({ value: { booleanValue: false } });
    expect(p.uuid(null)).toEqual({ value: { isNull: true }, typeHint: 'UUID' });
    expect(p.text(undefined)).toEqual({ value: { isNull: true } });
  });

  test('integers must be safe integers', () => {
    expect(() => p.int(1.5)).toThrow(RangeError);
    expect(() => p.bigint(2 ** 60)).toThrow(RangeError);
    expect(p.bigint(BigInt(42))).toEqual({ value: { longValue: 42 } });
  });

  test('lists travel as PostgreSQL array literals with quoting', () => {
    expect(p.uuidList(['a', 'b'])).toEqual({ value: { stringValue: '{a,b}' } });
    expect(p.textList(['x"y', 'a\\b', 'c,d'])).toEqual({ value: { stringValue: '{"x\\"y","a\\\\b","c,d"}' } });
  });
});
