import * as z from '../shared/zod';
import { CountSchema, IdSchema, TimestampSchema } from '../shared/http/contract';
import { enumParam, limitSchema, offsetSchema, UuidSchema } from '../shared/http/schemas';

/** Operational commands: the request body per command type, the stored item and the API's answers. */

export const COMMAND_TYPES = ['REPROCESS_QUEUE', 'RESET_TOKEN', 'RESTART_AGENT', 'HEALTH_CHECK'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];
export const COMMAND_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'ERROR'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];
export const FINAL_STATUSES: readonly CommandStatus[] = ['SUCCESS', 'ERROR'];

/** The longest REPROCESS_QUEUE window: one statement must re-queue it well inside 45 s. */
export const MAX_REPROCESS_WINDOW_DAYS = 31;
export const DEFAULT_REPROCESS_WINDOW_HOURS = 24;
const DAY_MS = 86_400_000;

/**
 * The instants a REPROCESS_QUEUE window may name, in UTC: what PostgreSQL stores, the Data API
 * binds (YYYY-MM-DD HH:MM:SS) and the API prints as ISO 8601 (four-digit years). Year 0000 does
 * not exist in PostgreSQL, and `9999-12-31T23:59:59-14:00` is in the year 10000 once in UTC.
 */
export const REPROCESS_WINDOW_BOUNDS = { from: '2000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' } as const;

const IsoInstantSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' }).check(
  z.refine((value) => {
    const at = Date.parse(value);
    return at >= Date.parse(REPROCESS_WINDOW_BOUNDS.from) && at <= Date.parse(REPROCESS_WINDOW_BOUNDS.to);
  }, `must be between ${REPROCESS_WINDOW_BOUNDS.from} and ${REPROCESS_WINDOW_BOUNDS.to} once converted to UTC`),
);

const ReprocessParamsSchema = z
  .strictObject({
    agent_id: z.optional(UuidSchema).check(z.describe('only this agent’s failed requests')),
    from: z.optional(IsoInstantSchema).check(z.describe(`window start (inclusive); default: ${DEFAULT_REPROCESS_WINDOW_HOURS} h before \`to\``)),
    to: z.optional(IsoInstantSchema).check(z.describe('window end (exclusive); default: when the command is created')),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (value.from && value.to && Date.parse(value.from) >= Date.parse(value.to)) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before "to"' });
      }
    }),
  );

/** Each command type: whether tenant_id is required, and its strict parameter schema. */
export const CreateCommandBodySchema = z.discriminatedUnion('command_type', [
  z.strictObject({
    command_type: z.literal('RESTART_AGENT'),
    tenant_id: UuidSchema,
    parameters: z.strictObject({ agent_id: UuidSchema.check(z.describe('catalog id of an agent the tenant has contracted')) }),
  }),
  z.strictObject({
    command_type: z.literal('RESET_TOKEN'),
    tenant_id: UuidSchema,
    parameters: z.strictObject({ integration_id: UuidSchema.check(z.describe('one of the tenant’s integrations')) }),
  }),
  z.strictObject({
    command_type: z.literal('REPROCESS_QUEUE'),
    tenant_id: UuidSchema,
    parameters: z._default(ReprocessParamsSchema, {}),
  }),
  z.strictObject({
    command_type: z.literal('HEALTH_CHECK'),
    tenant_id: z.optional(UuidSchema).check(z.describe('adds the tenant’s agents and integrations to the check')),
    parameters: z._default(z.strictObject({}), {}),
  }),
], { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${COMMAND_TYPES.join(', ')}` : undefined) });
export type CreateCommandBody = z.infer<typeof CreateCommandBodySchema>;

/**
 * The parameters as stored and executed: REPROCESS_QUEUE's window is fixed when the command is
 * created, so a retry or a late execution re-queues the same requests.
 */
export function resolveParameters(body: CreateCommandBody, now: Date): Record<string, string> {
  if (body.command_type !== 'REPROCESS_QUEUE') return { ...body.parameters };
  const to = body.parameters.to ? new Date(body.parameters.to) : now;
  const from = body.parameters.from ? new Date(body.parameters.from) : new Date(to.getTime() - DEFAULT_REPROCESS_WINDOW_HOURS * 3_600_000);
  return {
    ...(body.parameters.agent_id && { agent_id: body.parameters.agent_id }),
    from: from.toISOString(),
    to: to.toISOString(),
  };
}

/** Checks that need the resolved window (defaults filled in), reported like any body field. */
export function reprocessWindowIssue(parameters: Record<string, string>): string | undefined {
  const from = Date.parse(parameters.from!);
  const to = Date.parse(parameters.to!);
  if (!(from >= Date.parse(REPROCESS_WINDOW_BOUNDS.from) && to <= Date.parse(REPROCESS_WINDOW_BOUNDS.to))) {
    return `window must lie between ${REPROCESS_WINDOW_BOUNDS.from} and ${REPROCESS_WINDOW_BOUNDS.to} (UTC)`;
  }
  if (from >= to) return 'window is empty: "from" must be before "to"';
  if (to - from > MAX_REPROCESS_WINDOW_DAYS * DAY_MS) return `window is longer than ${MAX_REPROCESS_WINDOW_DAYS} days`;
  return undefined;
}

/** The command as stored in DynamoDB (and as the stream's NewImage unmarshalls to). */
export const StoredCommandSchema = z.object({
  command_id: IdSchema,
  created_at: TimestampSchema,
  list_pk: z.string(),
  tenant_id: z.optional(IdSchema),
  command_type: z.enum(COMMAND_TYPES),
  status: z.enum(COMMAND_STATUSES),
  created_by: z.string().check(z.minLength(1)),
  parameters: z.record(z.string(), z.string()),
  output: z.optional(z.string()),
  error_message: z.optional(z.string()),
  started_at: z.optional(TimestampSchema),
  completed_at: z.optional(TimestampSchema),
  /** When a RUNNING command is considered dead (the sweeper's cue). */
  deadline_at: z.optional(TimestampSchema),
  /** How many times the sweeper ran it again after its processor stopped (lambda/commands/sweep.ts). */
  redrives: z.optional(z.int()),
  /** sha256 of the caller's sub and Idempotency-Key, when one was sent. */
  idempotency_key: z.optional(z.string()),
  /** sha256 of the validated request, to tell a replay from a key reused for something else. */
  request_hash: z.string(),
  ttl: z.int(),
});
export type StoredCommand = z.infer<typeof StoredCommandSchema>;

export const CREATED_MESSAGE = 'Comando criado com sucesso. Processamento iniciado.';

export const CreateCommandResponseSchema = z.object({
  command_id: IdSchema,
  status: z.literal('PENDING'),
  created_at: TimestampSchema,
  message: z.literal(CREATED_MESSAGE),
});

export const ListCommandsQuerySchema = z
  .object({
    status: enumParam([...COMMAND_STATUSES, 'all'], 'all'),
    command_type: z.optional(z.enum(COMMAND_TYPES)),
    tenant_id: z.optional(UuidSchema),
    limit: limitSchema(50, 100),
    offset: offsetSchema.check(z.describe('commands to skip; read and discarded, so prefer `cursor` beyond the first pages')),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))).check(z.describe('`next_cursor` of the previous page')),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (value.cursor && value.offset > 0) ctx.addIssue({ code: 'custom', path: ['offset'], message: 'cannot be combined with cursor' });
    }),
  );
export type ListCommandsQuery = z.infer<typeof ListCommandsQuerySchema>;

export const CommandViewSchema = z.object({
  command_id: IdSchema,
  command_type: z.enum(COMMAND_TYPES),
  status: z.enum(COMMAND_STATUSES),
  tenant_id: z.nullable(IdSchema),
  tenant_name: z.nullable(z.string()),
  parameters: z.record(z.string(), z.string()),
  created_by: z.string(),
  created_at: TimestampSchema,
  started_at: z.nullable(TimestampSchema),
  completed_at: z.nullable(TimestampSchema),
  output: z.nullable(z.string()).check(z.describe('JSON text of the structured result, when SUCCESS')),
  error_message: z.nullable(z.string()),
});
export type CommandView = z.infer<typeof CommandViewSchema>;

export const ListCommandsSchema = z.object({
  commands: z.array(CommandViewSchema),
  total: CountSchema,
  limit: CountSchema,
  next_cursor: z.nullable(z.string()).check(z.describe('pass as `cursor` for the next page; null on the last page')),
});

