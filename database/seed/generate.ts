import { Faker, base, en, pt_BR } from '@faker-js/faker';
import {
  AGENT_CATALOG,
  CITIES,
  COMMAND_TYPES,
  COMPANY_PATTERNS,
  INTEGRATION_ERRORS,
  INTEGRATION_NAMES,
  MAINTENANCE_WINDOWS,
  PLACE_NAMES,
  PLATFORM_INCIDENTS,
  SEGMENT_WEIGHTS,
  SEGMENTS,
  SURNAMES,
  TENANT_INCIDENTS,
  type CatalogAgent,
  type EventType,
  type IntegrationType,
  type PlanCode,
  type Segment,
  type Severity,
  type TenantStatus,
} from './catalog';
import { makeCnpj } from './cnpj';
import { DEMO_USERS, demoUserRole } from './demo-users';
import { agentIdFor, seededId, tenantIdFor } from './ids';

/**
 * The JS-generated part of the demo data (everything but the request log): pure, no I/O, and a
 * function of its inputs only. Each tenant draws from its own PRNG stream (faker seeded with
 * [seed, index]), so tenant N is the same whether 10 or 10,000 tenants are generated.
 */

/** A plan as the generator needs it (read from the plans table, which the migration fills). */
export interface SeedPlan {
  code: PlanCode;
  maxAgents: number;
  maxUsers: number;
  maxRequestsPerMonth: number;
  priceMonthly: number;
}

export interface GenerateOptions {
  tenants: number;
  days: number;
  seed: number;
  /** Data ends at the start of this instant's UTC day. */
  now: Date;
}

// Rows use the column names, so they go into json_to_recordset unchanged. Timestamps are ISO 8601
// strings with Z: unambiguous for timestamptz whatever the session TimeZone.
export interface AgentRow {
  id: string;
  name: string;
  segment: string;
  description: string;
  status: 'active' | 'deprecated';
  created_at: string;
  updated_at: string;
}

export interface TenantRow {
  id: string;
  name: string;
  cnpj: string;
  segment: Segment;
  plan: PlanCode;
  status: TenantStatus;
  mrr_estimate: number;
  activated_at: string;
  churned_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StatusHistoryRow {
  id: string;
  tenant_id: string;
  status: TenantStatus;
  plan: PlanCode;
  mrr_estimate: number;
  changed_at: string;
}

export interface TenantUserRow {
  id: string;
  tenant_id: string;
  cognito_sub: string;
  email: string;
  full_name: string;
  role: 'ADMIN' | 'USER';
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TenantAgentRow {
  id: string;
  tenant_id: string;
  agent_id: string;
  status: 'active' | 'inactive' | 'suspended';
  config: Record<string, unknown>;
  activated_at: string;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntegrationRow {
  id: string;
  tenant_id: string;
  integration_type: IntegrationType;
  integration_name: string;
  status: 'active' | 'inactive' | 'error';
  credentials_secret_arn: string | null;
  config: Record<string, unknown>;
  last_sync_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventRow {
  id: string;
  event_type: EventType;
  severity: Severity;
  tenant_id: string | null;
  user_sub: string | null;
  title: string;
  description: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  resolved_at: string | null;
}

export interface DemoDataSet {
  agents: AgentRow[];
  tenants: TenantRow[];
  statusHistory: StatusHistoryRow[];
  users: TenantUserRow[];
  tenantAgents: TenantAgentRow[];
  integrations: IntegrationRow[];
  events: EventRow[];
  /** Tenants whose traffic fails notably more often than the rest (and who have more incidents). */
  troubledTenantIds: string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Start of the UTC day of `date`, in ms. */
export function utcDayStart(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

const iso = (ms: number) => new Date(ms).toISOString();
const round2 = (n: number) => Math.round(n * 100) / 100;
/** Whole seconds: sub-second noise makes rows harder to read and adds nothing. */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
const slug = (s: string) => ascii(s).replace(/[^a-z0-9]+/g, '');

const PLAN_WEIGHTS: ReadonlyArray<{ weight: number; value: PlanCode }> = [
  { weight: 50, value: 'starter' },
  { weight: 35, value: 'professional' },
  { weight: 15, value: 'enterprise' },
];
const LOWER_PLAN: Record<PlanCode, PlanCode | undefined> = { starter: undefined, professional: 'starter', enterprise: 'professional' };
const AGENTS_PER_PLAN: Record<PlanCode, [number, number]> = { starter: [1, 3], professional: [2, 6], enterprise: [4, 10] };
/** The two demo tenants are fixed, so the demo logins always land on a rich, active company. */
const DEMO_TENANT_SHAPE: ReadonlyArray<{ segment: Segment; plan: PlanCode }> = [
  { segment: 'varejo', plan: 'professional' },
  { segment: 'saude', plan: 'enterprise' },
];

const FIXED_FATES: Readonly<Record<number, 'troubled' | 'suspended' | 'churned'>> = { 2: 'troubled', 3: 'suspended', 4: 'churned' };

class Rng {
  constructor(readonly f: Faker) {}
  /** Uniform in [0, 1). */
  next(): number {
    return this.f.number.int({ min: 0, max: 2_147_483_646 }) / 2_147_483_647;
  }
  int(min: number, max: number): number {
    return this.f.number.int({ min, max });
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return this.f.helpers.arrayElement(items as T[]);
  }
  weighted<T>(items: ReadonlyArray<{ weight: number; value: T }>): T {
    return this.f.helpers.weightedArrayElement(items as Array<{ weight: number; value: T }>);
  }
  shuffle<T>(items: readonly T[]): T[] {
    return this.f.helpers.shuffle([...items]);
  }
  /** A whole-second instant uniformly in [from, to). */
  between(from: number, to: number): number {
    return toSecond(from + this.next() * Math.max(0, to - from));
  }
}

interface Context {
  seed: number;
  today: number;
  windowStart: number;
  plans: Map<PlanCode, SeedPlan>;
  agents: readonly CatalogAgent[];
  usedNames: Set<string>;
  usedCnpjs: Set<string>;
}

/** Generates every JS-side row of the demo data set. */
export function generateDemoData(plans: readonly SeedPlan[], options: GenerateOptions): DemoDataSet {
  const planMap = new Map(plans.map((plan) => [plan.code, plan]));
  for (const code of ['starter', 'professional', 'enterprise'] as const) {
    if (!planMap.has(code)) throw new Error(`plan "${code}" is missing from alquimista_platform.plans; run the migrations first`);
  }
  const today = utcDayStart(options.now);
  const ctx: Context = {
    seed: options.seed,
    today,
    windowStart: today - options.days * DAY,
    plans: planMap,
    agents: AGENT_CATALOG,
    usedNames: new Set(),
    usedCnpjs: new Set(),
  };
  const f = new Faker({ locale: [pt_BR, en, base] });
  const data: DemoDataSet = {
    agents: catalogRows(today),
    tenants: [],
    statusHistory: [],
    users: [],
    tenantAgents: [],
    integrations: [],
    events: [],
    troubledTenantIds: [],
  };
  for (let index = 0; index < options.tenants; index++) {
    f.seed([options.seed, index]);
    generateTenant(new Rng(f), ctx, index, data);
  }
  f.seed([options.seed, -1]);
  generatePlatformEvents(new Rng(f), ctx, data);
  return data;
}

function catalogRows(today: number): AgentRow[] {
  // The catalog predates every tenant (activations go back ~18 months).
  const launched = today - 600 * DAY;
  return AGENT_CATALOG.map((agent, k) => {
    const created = iso(launched + k * 7 * DAY);
    return {
      id: agentIdFor(agent.slug),
      name: agent.name,
      segment: agent.segment,
      description: agent.description,
      status: agent.status,
      created_at: created,
      updated_at: agent.status === 'deprecated' ? iso(today - 120 * DAY) : created,
    };
  });
}

function companyName(rng: Rng, ctx: Context, segment: Segment): string {
  const stem = () => (rng.chance(0.75) ? rng.pick(SURNAMES) : rng.pick(PLACE_NAMES));
  const pattern = rng.pick(COMPANY_PATTERNS[segment]);
  let name = pattern.replace('{n}', stem()).replace('{m}', rng.pick(SURNAMES));
  const legal = rng.next();
  if (legal < 0.35) name += ' Ltda';
  else if (legal < 0.45) name += ' S.A.';
  // Names need not be unique, but a list with twins is confusing to demo.
  if (ctx.usedNames.has(name)) name = `${name} - ${rng.pick(CITIES)[0]}`;
  for (let n = 2; ctx.usedNames.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
  ctx.usedNames.add(name);
  return name;
}

function uniqueCnpj(rng: Rng, ctx: Context): string {
  let root = rng.int(1_000_000, 99_999_999);
  const branch = rng.chance(0.85) ? 1 : rng.int(2, 12);
  let cnpj = makeCnpj(root, branch);
  while (ctx.usedCnpjs.has(cnpj)) cnpj = makeCnpj(++root, branch);
  ctx.usedCnpjs.add(cnpj);
  return cnpj;
}

/** A business-hours instant (09–19 in São Paulo, 12–22 UTC) on the UTC day starting at `day`. */
const businessHour = (rng: Rng, day: number) => toSecond(day + 12 * HOUR + rng.next() * 10 * HOUR);

function generateTenant(rng: Rng, ctx: Context, index: number, data: DemoDataSet): void {
  const id = tenantIdFor(ctx.seed, index);
  const demo = DEMO_TENANT_SHAPE[index];
  const segment = demo?.segment ?? rng.weighted(SEGMENTS.map((s) => ({ weight: SEGMENT_WEIGHTS[s], value: s })));
  const finalPlan = demo?.plan ?? rng.weighted(PLAN_WEIGHTS);
  const name = companyName(rng, ctx, segment);
  const cnpj = uniqueCnpj(rng, ctx);
  const domain = `${slug(name.replace(/ (Ltda|S\.A\.)$/, '').replace(/ - .*$/, ''))}.com.br`;

  // Lifecycle: activation over the past ~18 months (the demo tenants well before the usage
  // window), then maybe an upgrade, and for some a suspension or a churn.
  // Tenants 2–4 have fixed fates, so even a small data set shows a struggling, a suspended and a
  // churned tenant; the rest are drawn (~10% churned, ~6% suspended, ~4% troubled).
  const fate = FIXED_FATES[index];
  const daysAgo = demo ? rng.int(300, 500) : fate ? rng.int(150, 400) : 2 + rng.next() * 538;
  const activatedAt = businessHour(rng, ctx.today - Math.ceil(daysAgo) * DAY);
  const createdAt = toSecond(activatedAt - rng.int(0, 14) * DAY - rng.next() * 8 * HOUR);
  const lifeDays = (ctx.today - activatedAt) / DAY;
  const troubled = fate ? fate === 'troubled' : index > 4 && rng.chance(0.04);
  const roll = rng.next();
  let status: TenantStatus = 'active';
  if (fate === 'churned' || (!fate && !demo && !troubled && roll < 0.1 && lifeDays > 45)) status = 'inactive';
  else if (fate === 'suspended' || (!fate && !demo && !troubled && roll < 0.16 && lifeDays > 20)) status = 'suspended';

  let endAt = ctx.today; // end of activity (exclusive)
  let churnedAt: number | null = null;
  if (status === 'inactive') {
    // The fixed churn falls in the last 30 days, so the default billing period shows churned MRR.
    const span = Math.min(lifeDays - 30, fate === 'churned' ? 25 : 240);
    churnedAt = ctx.today - toSecond((1 + rng.next() * (span - 1)) * DAY);
    endAt = churnedAt;
  } else if (status === 'suspended') {
    endAt = ctx.today - toSecond((1 + rng.next() * (Math.min(lifeDays - 10, 60) - 1)) * DAY);
  }

  const discount = rng.pick([0, 0, 0, 0.05, 0.1, 0.15]);
  const mrrOf = (plan: PlanCode) => round2(ctx.plans.get(plan)!.priceMonthly * (1 - discount));
  const lower = LOWER_PLAN[finalPlan];
  let upgradedAt: number | null = null;
  if (lower && endAt - activatedAt > 60 * DAY && rng.chance(0.25)) {
    upgradedAt = rng.between(activatedAt + 30 * DAY, endAt - 15 * DAY);
  }
  const history: Array<{ status: TenantStatus; plan: PlanCode; at: number }> = [
    { status: 'active', plan: upgradedAt !== null ? lower! : finalPlan, at: activatedAt },
  ];
  if (upgradedAt !== null) history.push({ status: 'active', plan: finalPlan, at: upgradedAt });
  if (status !== 'active') history.push({ status, plan: finalPlan, at: endAt });
  history.forEach((h, k) =>
    data.statusHistory.push({
      id: seededId(ctx.seed, 'status', index, k),
      tenant_id: id,
      status: h.status,
      plan: h.plan,
      mrr_estimate: mrrOf(h.plan),
      changed_at: iso(h.at),
    }),
  );
  data.tenants.push({
    id,
    name,
    cnpj,
    segment,
    plan: finalPlan,
    status,
    mrr_estimate: mrrOf(finalPlan),
    activated_at: iso(activatedAt),
    churned_at: churnedAt === null ? null : iso(churnedAt),
    created_at: iso(createdAt),
    updated_at: iso(history[history.length - 1]!.at),
  });
  if (troubled) data.troubledTenantIds.push(id);

  const life = { id, index, name, domain, segment, plan: ctx.plans.get(finalPlan)!, status, activatedAt, createdAt, endAt, troubled };
  generateUsers(rng, ctx, life, data);
  const agentNames = generateTenantAgents(rng, ctx, life, data);
  const integrationNames = generateIntegrations(rng, ctx, life, data);
  generateTenantIncidents(rng, ctx, life, agentNames, integrationNames, data);
}

interface TenantLife {
  id: string;
  index: number;
  name: string;
  domain: string;
  segment: Segment;
  plan: SeedPlan;
  status: TenantStatus;
  activatedAt: number;
  createdAt: number;
  endAt: number;
  troubled: boolean;
}

function generateUsers(rng: Rng, ctx: Context, t: TenantLife, data: DemoDataSet): void {
  const demoUsers = DEMO_USERS.filter((u) => u.tenantIndex === t.index);
  const target = Math.max(demoUsers.length, Math.min(t.plan.maxUsers, rng.int(2, 8)));
  const emails = new Set<string>();
  let hasAdmin = false;
  for (const [k, user] of demoUsers.entries()) {
    emails.add(user.email);
    hasAdmin ||= demoUserRole(user) === 'ADMIN';
    data.users.push({
      id: seededId(ctx.seed, 'demo-user', t.index, k),
      tenant_id: t.id,
      cognito_sub: user.sub,
      email: user.email,
      full_name: user.fullName,
      role: demoUserRole(user),
      last_login_at: null,
      created_at: iso(t.createdAt),
      updated_at: iso(t.createdAt),
    });
  }
  for (let k = demoUsers.length; k < target; k++) {
    const first = rng.f.person.firstName();
    const last = rng.pick(SURNAMES);
    const local = `${slug(first)}.${slug(last)}`;
    let email = `${local}@${t.domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${t.domain}`;
    emails.add(email);
    const role = !hasAdmin || rng.chance(0.2) ? 'ADMIN' : 'USER';
    hasAdmin = true;
    const created = rng.between(t.createdAt, t.createdAt + (t.endAt - t.createdAt) * 0.6);
    const lastLogin = rng.chance(0.85) ? rng.between(Math.max(created, t.endAt - 30 * DAY), t.endAt) : null;
    data.users.push({
      id: seededId(ctx.seed, 'user', t.index, k),
      tenant_id: t.id,
      cognito_sub: seededId(ctx.seed, 'user-sub', t.index, k),
      email,
      full_name: `${first} ${last}`,
      role,
      last_login_at: lastLogin === null ? null : iso(lastLogin),
      created_at: iso(created),
      updated_at: iso(lastLogin ?? created),
    });
  }
}

/** Contracts agents within the plan's limit; returns the names of those contracted. */
function generateTenantAgents(rng: Rng, ctx: Context, t: TenantLife, data: DemoDataSet): string[] {
  const active = ctx.agents.filter((a) => a.status === 'active');
  const bySlug = (s: string) => active.find((a) => a.slug === s)!;
  const own = active.filter((a) => a.segment === t.segment);
  const general = [bySlug('atendente-virtual'), bySlug('sdr-inteligente')];
  const rest = active.filter((a) => !own.includes(a) && !general.includes(a));
  // Own-segment agent first, then the general ones, then cross-sell.
  const pool = [...own, ...rng.shuffle(general), ...rng.shuffle(rest)];
  const [min, max] = AGENTS_PER_PLAN[t.plan.code];
  const count = Math.min(t.plan.maxAgents, pool.length, t.index < 2 ? max - 1 : rng.int(min, max));
  const tone = rng.pick(['formal', 'amigavel', 'consultivo']);
  const shortName = t.name.replace(/ (Ltda|S\.A\.)$/, '');
  return pool.slice(0, count).map((agent, k) => {
    const activatedAt = k === 0 ? t.activatedAt : rng.between(t.activatedAt, t.activatedAt + (t.endAt - t.activatedAt) * 0.7);
    let status: TenantAgentRow['status'] = 'active';
    let deactivatedAt: number | null = null;
    if (t.status === 'inactive') {
      status = 'inactive';
      deactivatedAt = t.endAt;
    } else if (t.status === 'suspended') {
      status = 'suspended';
    } else if (k > 0 && ctx.today - activatedAt > 3 * DAY && rng.chance(0.1)) {
      status = 'inactive';
      deactivatedAt = rng.between(activatedAt + DAY, ctx.today);
    }
    const start = rng.pick(['07:00', '08:00', '09:00']);
    const end = rng.pick(['18:00', '20:00', '22:00']);
    data.tenantAgents.push({
      id: seededId(ctx.seed, 'tenant-agent', t.index, agent.slug),
      tenant_id: t.id,
      agent_id: agentIdFor(agent.slug),
      status,
      config: {
        language: 'pt-BR',
        tone,
        channels: rng.chance(0.6) ? ['whatsapp', 'email'] : ['whatsapp'],
        business_hours: { start, end, timezone: 'America/Sao_Paulo', weekdays_only: rng.chance(0.7) },
        handoff_to_human: rng.chance(0.8),
        max_response_tokens: rng.pick([400, 800, 1200]),
        greeting: `Olá! Sou o ${agent.name} da ${shortName}. Como posso ajudar?`,
      },
      activated_at: iso(activatedAt),
      deactivated_at: deactivatedAt === null ? null : iso(deactivatedAt),
      created_at: iso(activatedAt),
      updated_at: iso(deactivatedAt ?? activatedAt),
    });
    return agent.name;
  });
}

/** Connects 1–4 external systems; returns their names. */
function generateIntegrations(rng: Rng, ctx: Context, t: TenantLife, data: DemoDataSet): string[] {
  const count = t.index < 2 ? 4 : rng.weighted([
    { weight: 20, value: 1 },
    { weight: 40, value: 2 },
    { weight: 25, value: 3 },
    { weight: 15, value: 4 },
  ]);
  const types = [...rng.shuffle<IntegrationType>(['whatsapp', 'email']), ...rng.shuffle<IntegrationType>(['crm', 'calendar'])].slice(0, count);
  const [city, state] = rng.pick(CITIES);
  const ddd = rng.int(11, 99);
  return types.map((type, k) => {
    const integrationName = rng.pick(INTEGRATION_NAMES[type]);
    let status: IntegrationRow['status'];
    if (t.status === 'inactive') status = 'inactive';
    else if (t.status === 'suspended') status = rng.chance(0.5) ? 'inactive' : 'active';
    else if (t.index === 0 && k === 1) status = 'error'; // the demo tenant shows an integration problem
    else status = rng.weighted([
      { weight: 78, value: 'active' as const },
      { weight: 10, value: 'inactive' as const },
      { weight: 12, value: 'error' as const },
    ]);
    const createdAt = rng.between(t.activatedAt, t.activatedAt + (t.endAt - t.activatedAt) * 0.3);
    let lastSync: number | null;
    if (status === 'active') lastSync = rng.between(t.endAt - 6 * HOUR, t.endAt);
    else if (status === 'error') lastSync = rng.between(t.endAt - 10 * DAY, t.endAt - DAY);
    else lastSync = rng.chance(0.5) ? rng.between(createdAt, t.endAt) : null;
    if (lastSync !== null) lastSync = Math.max(lastSync, createdAt);
    const config: Record<string, unknown> =
      type === 'email'
        ? { sender: `atendimento@${t.domain}`, sync_interval_minutes: 15 }
        : type === 'whatsapp'
          ? { phone_number: `+55 ${ddd} 9${rng.int(1000, 9999)}-${rng.int(1000, 9999)}`, display_name: t.name.replace(/ (Ltda|S\.A\.)$/, '') }
          : type === 'crm'
            ? { pipeline: rng.pick(['Vendas', 'Pré-vendas', 'Renovações']), sync_contacts: true, region: `${city}/${state}` }
            : { calendar: `agenda@${t.domain}`, default_duration_minutes: rng.pick([30, 45, 60]) };
    data.integrations.push({
      id: seededId(ctx.seed, 'integration', t.index, type),
      tenant_id: t.id,
      integration_type: type,
      integration_name: integrationName,
      status,
      credentials_secret_arn: rng.chance(0.7) ? `arn:aws:secretsmanager:us-east-1:000000000000:secret:painel/tenant/${t.id}/${type}` : null,
      config,
      last_sync_at: lastSync === null ? null : iso(lastSync),
      last_error: status === 'error' ? rng.pick(INTEGRATION_ERRORS[type]) : null,
      created_at: iso(createdAt),
      updated_at: iso(Math.max(createdAt, lastSync ?? createdAt)),
    });
    return integrationName;
  });
}

/** Resolution of an incident: most older ones are resolved within hours, recent ones stay open. */
function resolution(rng: Rng, ctx: Context, createdAt: number): number | null {
  if (ctx.today - createdAt < 6 * HOUR || !rng.chance(0.85)) return null;
  return Math.min(ctx.today - MINUTE, rng.between(createdAt + 15 * MINUTE, createdAt + 12 * HOUR));
}

function generateTenantIncidents(rng: Rng, ctx: Context, t: TenantLife, agentNames: string[], integrationNames: string[], data: DemoDataSet): void {
  const from = Math.max(ctx.windowStart, t.activatedAt);
  if (t.endAt - from < DAY) return;
  const count = t.troubled ? rng.int(3, 6) : rng.chance(0.3) ? rng.int(1, 2) : 0;
  for (let k = 0; k < count; k++) {
    const createdAt = rng.between(from, t.endAt);
    const template = rng.pick(TENANT_INCIDENTS);
    const agent = agentNames.length > 0 ? rng.pick(agentNames) : 'Atendente Virtual';
    const integration = integrationNames.length > 0 ? rng.pick(integrationNames) : 'WhatsApp Business Platform';
    const severity: Severity = t.troubled
      ? rng.weighted([
          { weight: 60, value: 'error' as const },
          { weight: 40, value: 'critical' as const },
        ])
      : rng.weighted([
          { weight: 60, value: 'warning' as const },
          { weight: 35, value: 'error' as const },
          { weight: 5, value: 'critical' as const },
        ]);
    const resolvedAt = resolution(rng, ctx, createdAt);
    data.events.push({
      id: seededId(ctx.seed, 'incident', t.index, k),
      event_type: 'incident',
      severity,
      tenant_id: t.id,
      user_sub: null,
      title: template.title.replace('{agent}', agent).replace('{integration}', integration),
      description: template.description,
      metadata: { source: 'monitoring', error_rate: t.troubled ? round2(0.1 + rng.next() * 0.15) : round2(0.05 + rng.next() * 0.05) },
      created_at: iso(createdAt),
      resolved_at: resolvedAt === null ? null : iso(resolvedAt),
    });
  }
}

/** Platform-wide incidents and maintenance, and the audit trail of commands run by the staff. */
function generatePlatformEvents(rng: Rng, ctx: Context, data: DemoDataSet): void {
  const days = (ctx.today - ctx.windowStart) / DAY;
  for (let k = 0; k < Math.max(3, Math.round(days / 12)); k++) {
    const createdAt = rng.between(ctx.windowStart, ctx.today);
    const template = rng.pick(PLATFORM_INCIDENTS);
    const resolvedAt = resolution(rng, ctx, createdAt);
    data.events.push({
      id: seededId(ctx.seed, 'platform-incident', k),
      event_type: 'incident',
      severity: rng.weighted([
        { weight: 40, value: 'warning' as const },
        { weight: 40, value: 'error' as const },
        { weight: 20, value: 'critical' as const },
      ]),
      tenant_id: null,
      user_sub: null,
      title: template.title,
      description: template.description,
      metadata: { source: 'monitoring', scope: 'platform' },
      created_at: iso(createdAt),
      resolved_at: resolvedAt === null ? null : iso(resolvedAt),
    });
  }
  for (let k = 0; k < Math.max(1, Math.round(days / 30)); k++) {
    const day = ctx.windowStart + rng.int(0, Math.max(0, days - 2)) * DAY;
    const createdAt = day + 5 * HOUR; // 02:00 in São Paulo: the quietest hour
    const template = rng.pick(MAINTENANCE_WINDOWS);
    data.events.push({
      id: seededId(ctx.seed, 'maintenance', k),
      event_type: 'maintenance',
      severity: 'info',
      tenant_id: null,
      user_sub: DEMO_USERS[0]!.sub,
      title: template.title,
      description: template.description,
      metadata: { planned: true, window_minutes: 60 },
      created_at: iso(createdAt),
      resolved_at: iso(createdAt + rng.int(20, 90) * MINUTE),
    });
  }
  const staff = DEMO_USERS.filter((u) => u.tenantIndex === null);
  const activeTenants = data.tenants.filter((t) => t.status === 'active');
  for (let k = 0; k < Math.max(4, Math.round(days / 3)); k++) {
    const type = rng.pick(COMMAND_TYPES);
    const tenant = type === 'HEALTH_CHECK' && rng.chance(0.5) ? undefined : rng.pick(activeTenants);
    const user = rng.pick(staff);
    const createdAt = rng.between(Math.max(ctx.windowStart, tenant ? Date.parse(tenant.activated_at) : 0), ctx.today - HOUR);
    const commandId = seededId(ctx.seed, 'command', k);
    const failed = rng.chance(0.1);
    const metadata = { command_id: commandId, command_type: type };
    const common = { tenant_id: tenant?.id ?? null, user_sub: user.sub, resolved_at: null };
    data.events.push({
      ...common,
      id: seededId(ctx.seed, 'command-created', k),
      event_type: 'command_created',
      severity: 'info',
      title: `Comando ${type} criado`,
      description: tenant ? `Solicitado para ${tenant.name}.` : 'Solicitado para toda a plataforma.',
      metadata,
      created_at: iso(createdAt),
    });
    data.events.push({
      ...common,
      id: seededId(ctx.seed, 'command-finished', k),
      event_type: failed ? 'command_failed' : 'command_executed',
      severity: failed ? 'error' : 'info',
      title: failed ? `Comando ${type} falhou` : `Comando ${type} executado`,
      description: failed ? 'Tempo limite excedido ao contatar o serviço do agente.' : 'Concluído com sucesso.',
      metadata: { ...metadata, duration_ms: rng.int(800, 45_000) },
      created_at: iso(createdAt + rng.int(5, 60) * 1000),
    });
  }
}
