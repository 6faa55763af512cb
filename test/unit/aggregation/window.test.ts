import { aggregationWindow, dayRange, tenantRanges } from '@lambda/aggregation/aggregate';

describe('aggregationWindow', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  test('a scheduled event covers the lookback days before the event’s own day, not the clock’s', () => {
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-20T02:00:00Z', detail: {} };
    expect(aggregationWindow(event, 2, now)).toEqual({ from: '2026-11-18', to: '2026-11-19', trigger: 'schedule' });
    expect(aggregationWindow(undefined, 3, now)).toEqual({ from: '2026-11-20', to: '2026-11-22', trigger: 'schedule' });
  });

  test('a backfill is taken as given, both days included', () => {
    expect(aggregationWindow({ from: '2026-10-01', to: '2026-10-31' }, 2, now)).toEqual({ from: '2026-10-01', to: '2026-10-31', trigger: 'backfill' });
  });

  test.each([{ from: '2026-10-01' }, { to: '2026-10-01' }, { from: '2026-10-32', to: '2026-11-01' }, { from: '2026-10-02', to: '2026-10-01' }, { from: '2025-01-01', to: '2026-01-02' }])(
    'a broken backfill %p throws instead of becoming a nightly run',
    (event) => {
      expect(() => aggregationWindow(event, 2, now)).toThrow();
    },
  );
});

describe('dayRange', () => {
  test('every day from → to, across a month end', () => {
    expect(dayRange('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
  });
});

describe('tenantRanges', () => {
  test('one range covers everything; n ranges are contiguous and cover every uuid', () => {
    expect(tenantRanges(1)).toEqual([{ lo: '00000000-0000-0000-0000-000000000000', hi: null }]);
    const four = tenantRanges(4);
    expect(four.map((r) => r.lo)).toEqual(['00000000', '40000000', '80000000', 'c0000000'].map((p) => `${p}-0000-0000-0000-000000000000`));
    for (let i = 0; i < 3; i++) expect(four[i]!.hi).toBe(four[i + 1]!.lo);
    expect(four[3]!.hi).toBeNull();
  });
});
