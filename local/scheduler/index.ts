import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { ScheduleDeclaration } from '@lambda/schedules';
import { ACCOUNT, REGION } from '../config';

/**
 * The local EventBridge scheduler: each declared schedule fires its handler at the times its
 * expression gives (UTC), with the event EventBridge would send. A run still going when the next
 * is due is not started twice.
 */

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The next fire time strictly after `after`, for an EventBridge `rate(...)` or `cron(...)` expression. */
export function nextFireTime(expression: string, after: Date): Date {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const every = Number(rate[1]) * UNITS[rate[2]!.replace(/s$/, '')]!;
    if (every <= 0) throw new Error(`invalid rate: ${expression}`);
    return new Date(after.getTime() + every);
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`not an EventBridge schedule expression: ${expression}`);
  return CronExpressionParser.parse(toStandardCron(cron[1]!), { tz: 'UTC', currentDate: after }).next().toDate();
}

/**
 * EventBridge cron has six fields (minutes hours day-of-month month day-of-week year), `?` for
 * "any" and days of week numbered 1–7 from Sunday; standard cron has five, `*` and 0–6. Features
 * without an equivalent here (L, W, #, a specific year) are refused rather than approximated.
 */
export function toStandardCron(fields: string): string {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`EventBridge cron needs 6 fields, got ${parts.length}: ${fields}`);
  const [minute, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if (year !== '*') throw new Error(`a specific year is not supported locally: ${fields}`);
  if (/[LW#]/.test(dom + dow)) throw new Error(`L, W and # are not supported locally: ${fields}`);
  const weekday = dow === '?' ? '*' : dow.replace(/\d+/g, (n) => String((Number(n) + 6) % 7));
  return [minute, hour, dom === '?' ? '*' : dom, month, weekday].join(' ');
}

/** The event EventBridge delivers for a scheduled rule. */
export function scheduledEvent(schedule: ScheduleDeclaration, at: Date) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/painel-local-${schedule.id}`],
    detail: {},
  };
}

export interface LocalScheduler {
  /** When each schedule fires next. */
  next(): Record<string, string>;
  stop(): Promise<void>;
}

export function startScheduler(options: {
  schedules: readonly ScheduleDeclaration[];
  run: (schedule: ScheduleDeclaration, event: ReturnType<typeof scheduledEvent>) => Promise<unknown>;
  log?: (message: string) => void;
}): LocalScheduler {
  const log = options.log ?? ((message: string) => console.log(message));
  const timers = new Map<string, NodeJS.Timeout>();
  const due = new Map<string, Date>();
  const running = new Map<string, Promise<unknown>>();
  let stopped = false;

  const arm = (schedule: ScheduleDeclaration, after: Date) => {
    if (stopped) return;
    const at = nextFireTime(schedule.expression, after);
    due.set(schedule.id, at);
    // setTimeout holds at most ~24.8 days; a later time is re-armed on the way.
    const wait = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(() => (Date.now() >= at.getTime() ? fire(schedule, at) : arm(schedule, new Date(at.getTime() - 1))), Math.max(0, wait));
    timer.unref();
    timers.set(schedule.id, timer);
  };

  const fire = (schedule: ScheduleDeclaration, at: Date) => {
    arm(schedule, at);
    if (running.has(schedule.id)) return log(`[scheduler] ${schedule.id}: previous run still going, skipped`);
    const run = options
      .run(schedule, scheduledEvent(schedule, at))
      .then(() => log(`[scheduler] ${schedule.id} ran (${at.toISOString()})`))
      .catch((error: unknown) => log(`[scheduler] ${schedule.id} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => running.delete(schedule.id));
    running.set(schedule.id, run);
  };

  for (const schedule of options.schedules) arm(schedule, new Date());

  return {
    next: () => Object.fromEntries([...due].map(([id, at]) => [id, at.toISOString()])),
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled(running.values());
    },
  };
}
