import * as z from 'zod';
import { AURORA_POSTGRES_VERSION, isOfferedForNewClusters } from './aurora-versions';

/**
 * Per-stage configuration, typed and validated once at the edge (`loadStageConfig`). Stacks read
 * values from here and never branch on the stage name: a difference between stages is a field.
 */

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const OriginSchema = z
  .url()
  .refine((origin) => new URL(origin).origin === origin, 'an origin is scheme://host[:port], without a path or trailing slash');

export const StageConfigSchema = z
  .object({
    stage: z.enum(STAGES),
    /** From the CDK environment (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION); absent → environment-agnostic synth. */
    env: z.object({ account: z.string().regex(/^\d{12}$/).optional(), region: z.string().min(1).optional() }),
    database: z.object({
      /**
       * Aurora PostgreSQL engine version, `major.minor`. With auto minor upgrades on (the default),
       * AWS may move a running cluster to a newer minor in a maintenance window; this pin is what
       * a new cluster is created with (docs/operations.md, "Deploy a stage").
       */
      engineVersion: z
        .string()
        .regex(/^\d+\.\d+$/, 'an engine version is major.minor, e.g. 16.8')
        .refine(isOfferedForNewClusters, {
          error: (issue) => `Aurora PostgreSQL ${String(issue.input)} is no longer offered for new clusters (lib/config/aurora-versions.ts); pick a supported minor`,
        }),
      /** Aurora Serverless v2 capacity in ACUs; 0 lets the cluster pause when idle. */
      minCapacity: z.number().min(0).max(256),
      maxCapacity: z.number().min(1).max(256),
      /** Serverless v2 readers in other AZs, scaled with the writer: the failover targets. */
      readers: z.number().int().min(0).max(15),
      /** Idle time before a cluster with minCapacity 0 pauses (5 min – 24 h); ignored otherwise. */
      autoPauseMinutes: z.number().int().min(5).max(24 * 60).optional(),
      backupRetentionDays: z.number().int().min(1).max(35),
      deletionProtection: z.boolean(),
      /** What CloudFormation does with the cluster when it leaves the stack. */
      removalPolicy: z.enum(['destroy', 'snapshot', 'retain']),
    }),
    /** What CloudFormation does with the other stateful resources (table, user pool, log buckets). */
    removalPolicy: z.enum(['destroy', 'retain']),
    pointInTimeRecovery: z.boolean(),
    logRetentionDays: z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    /** X-Ray active tracing on the functions and the API stage (Powertools Tracer captures the SDK clients). */
    tracing: z.boolean(),
    /** Who the alarms notify (an SNS e-mail subscription, confirmed once by its owner). */
    alarmEmail: z.email(),
    /**
     * Cognito's e-mails (temporary passwords, reset codes) through Amazon SES instead of Cognito's
     * built-in sender, which is meant for development (a low daily quota, a no-reply address).
     * The identity (the domain of `fromEmail`, or the address itself) must be verified in SES.
     */
    email: z
      .object({
        fromEmail: z.email(),
        fromName: z.string().min(1).optional(),
        replyTo: z.email().optional(),
        /** The SES region holding the identity; default: the stack's region. */
        sesRegion: z.string().min(1).optional(),
        /** What SES verified: the whole domain of fromEmail, or only that address. */
        identity: z.enum(['domain', 'address']),
      })
      .optional(),
    /** Origins allowed by CORS besides the stage's own CloudFront site (e.g. a custom domain, localhost). */
    webOrigins: z.array(OriginSchema),
    apiThrottling: z.object({ rateLimit: z.number().positive(), burstLimit: z.number().int().positive() }),
    /** Cognito MFA for the whole pool: Cognito cannot require it per group (see docs/operations.md, "The first users"). */
    mfa: z.enum(['optional', 'required']),
    /**
     * The web client's sessions. A refresh token is valid this long from its sign-in (refreshing
     * does not extend it), then the user signs in again; sign-out revokes it at once (RevokeToken).
     * Hours, not Cognito's default 30 days: a stolen token is worth a working day at most.
     * Cognito accepts 60 minutes to 10 years, and no less than the ID and access tokens' 1 hour.
     */
    session: z.object({ refreshTokenValidityHours: z.int().min(2).max(24) }),
    /**
     * Rate limits per user and per tenant, operational commands apart and tighter
     * (lambda/shared/rate-limits.ts), enforced by the handler kit with DynamoDB counters; the
     * stage-wide `apiThrottling` still caps the whole API.
     */
    rateLimits: z
      .object({
        windowSeconds: z.int().min(1).max(3600),
        user: z.int().positive(),
        tenant: z.int().positive(),
        commandsPerUser: z.int().positive(),
      })
      .refine((limits) => limits.tenant >= limits.user, 'a tenant’s budget cannot be smaller than one of its users’')
      .refine((limits) => limits.commandsPerUser < limits.user, 'commands are limited more tightly than requests'),
  })
  .refine((config) => config.database.minCapacity <= config.database.maxCapacity, {
    message: 'database.minCapacity must not exceed database.maxCapacity',
    path: ['database', 'minCapacity'],
  })
  .refine((config) => config.stage === 'dev' || !isReservedAddress(config.alarmEmail), {
    message: 'alarm e-mail must be a deliverable address (RFC 2606 reserved domains such as .example never receive mail)',
    path: ['alarmEmail'],
  });

/** RFC 2606 / RFC 6761 reserved top-level domains: mail to them is never delivered. */
const RESERVED_TLDS = ['example', 'test', 'invalid', 'localhost'];
const isReservedAddress = (email: string): boolean => RESERVED_TLDS.includes(email.split('.').pop()!.toLowerCase());

export type StageConfig = z.infer<typeof StageConfigSchema>;
/** A stage's settings; staging and prod have no alarm address of their own: the deployer must name one. */
export type StageSettings = Omit<StageConfig, 'env' | 'alarmEmail'> & { alarmEmail?: string };

const STAGE_SETTINGS: Record<StageName, StageSettings> = {
  dev: {
    stage: 'dev',
    database: { engineVersion: AURORA_POSTGRES_VERSION, minCapacity: 0, maxCapacity: 2, readers: 0, autoPauseMinutes: 30, backupRetentionDays: 1, deletionProtection: false, removalPolicy: 'destroy' },
    removalPolicy: 'destroy',
    pointInTimeRecovery: false,
    logRetentionDays: 7,
    logLevel: 'DEBUG',
    tracing: false,
    // A placeholder is fine for dev (alarms of a throwaway stage); staging and prod require -c alarmEmail.
    alarmEmail: 'alertas-dev@alquimista.example',
    webOrigins: ['http://localhost:3000'],
    apiThrottling: { rateLimit: 20, burstLimit: 40 },
    mfa: 'optional',
    session: { refreshTokenValidityHours: 12 },
    rateLimits: { windowSeconds: 60, user: 600, tenant: 3000, commandsPerUser: 30 },
  },
  staging: {
    stage: 'staging',
    database: { engineVersion: AURORA_POSTGRES_VERSION, minCapacity: 0, maxCapacity: 4, readers: 0, autoPauseMinutes: 60, backupRetentionDays: 7, deletionProtection: true, removalPolicy: 'snapshot' },
    removalPolicy: 'retain',
    pointInTimeRecovery: false,
    logRetentionDays: 30,
    logLevel: 'INFO',
    tracing: false,
    webOrigins: [],
    apiThrottling: { rateLimit: 50, burstLimit: 100 },
    mfa: 'optional',
    session: { refreshTokenValidityHours: 12 },
    rateLimits: { windowSeconds: 60, user: 600, tenant: 3000, commandsPerUser: 30 },
  },
  prod: {
    stage: 'prod',
    // Never paused: the first request after a pause waits ~15 s for the cluster to resume.
    database: { engineVersion: AURORA_POSTGRES_VERSION, minCapacity: 0.5, maxCapacity: 16, readers: 1, backupRetentionDays: 30, deletionProtection: true, removalPolicy: 'retain' },
    removalPolicy: 'retain',
    pointInTimeRecovery: true,
    logRetentionDays: 90,
    logLevel: 'INFO',
    tracing: true,
    webOrigins: [],
    apiThrottling: { rateLimit: 200, burstLimit: 400 },
    mfa: 'optional',
    // One working day.
    session: { refreshTokenValidityHours: 10 },
    // 5 requests/s per person on average (a dashboard load is ~6), 25/s per tenant; commands 20/min.
    rateLimits: { windowSeconds: 60, user: 300, tenant: 1500, commandsPerUser: 20 },
  },
};

export interface StageConfigInput {
  /** `-c env=<stage>`. */
  stage: unknown;
  /** `-c alarmEmail=…`: the address to notify; required for staging and prod. */
  alarmEmail?: unknown;
  /** `-c emailFrom=…`: Cognito's sender through SES (its domain verified in SES); see `email`. */
  emailFrom?: unknown;
  account?: string;
  region?: string;
}

/**
 * The validated configuration of a stage.
 * @throws Error naming `-c env` for an unknown stage, `-c alarmEmail=…` when staging or prod has no
 *   alarm address, and the field for any invalid value.
 */
export function loadStageConfig(input: StageConfigInput): StageConfig {
  const parsed = z.enum(STAGES).safeParse(input.stage);
  if (!parsed.success) throw new Error(`-c env must be one of ${STAGES.join(', ')} (got ${JSON.stringify(input.stage)})`);
  const stage = parsed.data;
  const settings = STAGE_SETTINGS[stage];
  const alarmEmail = input.alarmEmail ?? settings.alarmEmail;
  if (alarmEmail === undefined || alarmEmail === '') {
    throw new Error(`the ${stage} stage sends its alarms to a person: pass -c alarmEmail=<address> (e.g. npx cdk deploy --all -c env=${stage} -c alarmEmail=ops@your-company.com.br)`);
  }
  const result = StageConfigSchema.safeParse({
    ...settings,
    alarmEmail,
    ...(input.emailFrom !== undefined && input.emailFrom !== '' ? { email: { ...settings.email, fromEmail: input.emailFrom, identity: settings.email?.identity ?? 'domain' } } : {}),
    env: { account: input.account || undefined, region: input.region || undefined },
  });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid ${stage} stage config: ${issues}`);
  }
  return result.data;
}
