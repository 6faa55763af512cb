import { CreateCommandBodySchema, ListCommandsQuerySchema, reprocessWindowIssue, resolveParameters } from '@lambda/commands/schemas';
import { parseInput } from '@shared/http/validate';

const TENANT = '0b6f3c1e-4a5d-4e2f-9a7b-1c2d3e4f5a6b';
const AGENT = '7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

const fieldsOf = (body: unknown): string[] => {
  try {
    parseInput(CreateCommandBodySchema, body, 'body');
    return [];
  } catch (error) {
    return (error as { details: Array<{ field: string }> }).details.map((d) => d.field);
  }
};

describe('CreateCommandBodySchema', () => {
  test.each([
    ['an unknown command type', { command_type: 'DROP_DATABASE', parameters: {} }, ['command_type']],
    ['no command type', { parameters: {} }, ['command_type']],
    ['RESTART_AGENT without a tenant', { command_type: 'RESTART_AGENT', parameters: { agent_id: AGENT } }, ['tenant_id']],
    ['RESTART_AGENT without an agent', { command_type: 'RESTART_AGENT', tenant_id: TENANT, parameters: {} }, ['parameters.agent_id']],
    ['RESTART_AGENT with a non-uuid agent', { command_type: 'RESTART_AGENT', tenant_id: TENANT, parameters: { agent_id: "1' OR '1'='1" } }, ['parameters.agent_id']],
    ['RESET_TOKEN without an integration', { command_type: 'RESET_TOKEN', tenant_id: TENANT, parameters: {} }, ['parameters.integration_id']],
    ['RESET_TOKEN with an unknown parameter', { command_type: 'RESET_TOKEN', tenant_id: TENANT, parameters: { integration_id: AGENT, token: 'x' } }, ['parameters']],
    ['REPROCESS_QUEUE without a tenant', { command_type: 'REPROCESS_QUEUE', parameters: {} }, ['tenant_id']],
    ['REPROCESS_QUEUE with a date that is not a date-time', { command_type: 'REPROCESS_QUEUE', tenant_id: TENANT, parameters: { from: '2026-11-01' } }, ['parameters.from']],
    ['REPROCESS_QUEUE with from after to', { command_type: 'REPROCESS_QUEUE', tenant_id: TENANT, parameters: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' } }, ['parameters.from']],
    ['HEALTH_CHECK with parameters it does not take', { command_type: 'HEALTH_CHECK', parameters: { deep: true } }, ['parameters']],
    ['an unknown top-level field', { command_type: 'HEALTH_CHECK', parameters: {}, priority: 'high' }, ['']],
  ])('%s → 400 naming the field', (_name, body, fields) => {
    const found = fieldsOf(body);
    expect(found.length).toBeGreaterThan(0);
    for (const field of fields) if (field) expect(found).toContain(field);
  });

  test('the valid shapes pass, with parameters defaulted where optional', () => {
    expect(fieldsOf({ command_type: 'HEALTH_CHECK' })).toEqual([]);
    expect(fieldsOf({ command_type: 'HEALTH_CHECK', tenant_id: TENANT, parameters: {} })).toEqual([]);
    expect(fieldsOf({ command_type: 'RESTART_AGENT', tenant_id: TENANT, parameters: { agent_id: AGENT } })).toEqual([]);
    expect(fieldsOf({ command_type: 'REPROCESS_QUEUE', tenant_id: TENANT })).toEqual([]);
  });
});

describe('REPROCESS_QUEUE window', () => {
  const now = new Date('2026-11-01T12:00:00.000Z');

  test('defaults to the 24 h before the command is created, fixed at creation', () => {
    const body = CreateCommandBodySchema.parse({ command_type: 'REPROCESS_QUEUE', tenant_id: TENANT });
    expect(resolveParameters(body, now)).toEqual({ from: '2026-10-31T12:00:00.000Z', to: '2026-11-01T12:00:00.000Z' });
  });

  test('a window longer than 31 days, or empty once defaults apply, is refused', () => {
    expect(reprocessWindowIssue({ from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).toMatch(/longer than 31 days/);
    const body = CreateCommandBodySchema.parse({ command_type: 'REPROCESS_QUEUE', tenant_id: TENANT, parameters: { from: '2026-11-05T00:00:00Z' } });
    expect(reprocessWindowIssue(resolveParameters(body, now))).toMatch(/empty/);
  });
});

describe('ListCommandsQuerySchema', () => {
  test('defaults: every status, 50 per page, from the start', () => {
    expect(ListCommandsQuerySchema.parse({})).toEqual({ status: 'all', limit: 50, offset: 0 });
  });

  test('a cursor and an offset together are refused', () => {
    expect(ListCommandsQuerySchema.safeParse({ cursor: 'abc', offset: '10' }).success).toBe(false);
  });

  test.each([{ status: 'DONE' }, { command_type: 'x' }, { tenant_id: 'nope' }, { limit: '0' }, { limit: '101' }])('%p is refused', (query) => {
    expect(ListCommandsQuerySchema.safeParse(query).success).toBe(false);
  });
});
