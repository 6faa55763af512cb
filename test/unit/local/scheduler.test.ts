import { SCHEDULES } from '@lambda/schedules';
import { nextFireTime, scheduledEvent, toStandardCron } from '@local/scheduler';

describe('local scheduler expressions', () => {
  test('the nightly aggregation fires at 02:00 UTC', () => {
    const nightly = SCHEDULES.find((s) => s.id === 'aggregateDailyMetrics')!;
    expect(nightly.expression).toBe('cron(0 2 * * ? *)');
    expect(nextFireTime(nightly.expression, new Date('2026-11-23T01:59:59Z')).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(nextFireTime(nightly.expression, new Date('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-11-24T02:00:00.000Z');
  });

  test('rate(5 minutes) fires five minutes after the previous time', () => {
    expect(nextFireTime('rate(5 minutes)', new Date('2026-11-23T10:00:00Z')).toISOString()).toBe('2026-11-23T10:05:00.000Z');
    expect(nextFireTime('rate(1 day)', new Date('2026-11-23T10:00:00Z')).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  test('EventBridge days of week (1 = Sunday) become cron days (0 = Sunday)', () => {
    expect(toStandardCron('0 9 ? * 2-6 *')).toBe('0 9 * * 1-5');
    expect(nextFireTime('cron(0 9 ? * 2 *)', new Date('2026-11-23T10:00:00Z')).getUTCDay()).toBe(1); // next Monday
  });

  test.each(['cron(0 2 * * ? 2027)', 'cron(0 2 L * ? *)', 'cron(0 2 * *)', 'every 5 minutes'])('%s is refused, not approximated', (expression) => {
    expect(() => nextFireTime(expression, new Date())).toThrow();
  });

  test('the event has EventBridge’s scheduled-event shape', () => {
    expect(scheduledEvent(SCHEDULES[0], new Date('2026-11-24T02:00:00.000Z'))).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-24T02:00:00Z', detail: {} });
  });
});
