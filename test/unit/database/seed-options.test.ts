import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSeedOptions } from '@database/seed';
import { AGENT_SEGMENTS, EVENT_TYPES, INTEGRATION_TYPES, SEGMENTS, SEVERITIES } from '@database/seed/catalog';
import { trafficPlan } from '@database/seed/requests';

describe('resolveSeedOptions', () => {
  it('defaults to 50 tenants and ~200k requests over 90 days', () => {
    const resolved = resolveSeedOptions({ now: new Date('2025-01-01T00:00:00Z') });
    expect(resolved).toMatchObject({ tenants: 50, days: 90, seed: 42, reset: false });
    expect(resolved.requestsPerDay * resolved.days).toBeGreaterThanOrEqual(199_000);
    expect(resolved.requestsPerDay * resolved.days).toBeLessThanOrEqual(201_000);
  });

  it('rejects out-of-range values', () => {
    expect(() => resolveSeedOptions({ tenants: 1 })).toThrow(/tenants/);
    expect(() => resolveSeedOptions({ days: 0 })).toThrow(/days/);
    expect(() => resolveSeedOptions({ seed: 1.5 })).toThrow(/seed/);
    expect(() => resolveSeedOptions({ now: new Date('nope') })).toThrow(/now/);
  });
});

describe('trafficPlan', () => {
  it('covers the `days` days before today and averages requestsPerDay', () => {
    const plan = trafficPlan(Date.parse('2025-03-10T00:00:00Z'), 90, 2_222);

    expect(plan).toHaveLength(90);
    expect(plan[plan.length - 1]!.day).toBe('2025-03-09');
    expect(plan[0]!.day).toBe('2024-12-10');
    const total = plan.reduce((sum, d) => sum + d.total, 0);
    expect(Math.abs(total - 2_222 * 90)).toBeLessThan(90);
  });
});

describe('catalog lists and the migration CHECK constraints', () => {
  const migration = readFileSync(join(__dirname, '../../../database/migrations/0001_create_schema.sql'), 'utf8');
  const checkList = (constraint: string): string[] => {
    const match = new RegExp(`${constraint} CHECK \\(\\w+ IN \\(([^)]*)\\)`).exec(migration);
    if (!match) throw new Error(`constraint ${constraint} not found in the migration`);
    return [...match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  };

  it.each([
    ['tenants_segment_check', SEGMENTS],
    ['agents_segment_check', AGENT_SEGMENTS],
    ['tenant_integrations_type_check', INTEGRATION_TYPES],
    ['operational_events_type_check', EVENT_TYPES],
    ['operational_events_severity_check', SEVERITIES],
  ] as const)('%s matches the generator', (constraint, values) => {
    expect(checkList(constraint).sort()).toEqual([...values].sort());
  });
});
