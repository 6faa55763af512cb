import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { INagLogger } from 'cdk-nag';
import { loadStageConfig, type StageConfig, type StageName } from '../../lib/config';
import { buildStage, type PainelStacks } from '../../lib/painel-app';
import { PLACEHOLDER_DIR } from '../../lib/stacks/web-content-stack';

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
const CDK_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export interface SynthOptions {
  readonly nagLoggers?: INagLogger[];
  readonly account?: string;
  readonly region?: string;
  /** `-c alarmEmail`; staging and prod default to TEST_ALARM_EMAIL (they require one). */
  readonly alarmEmail?: string;
  /** `-c emailFrom`; prod defaults to TEST_EMAIL_FROM, `null` leaves it out. */
  readonly emailFrom?: string | null;
}

/** Cognito's sender the tests deploy prod with (`-c emailFrom`). */
export const TEST_EMAIL_FROM = 'no-reply@example.com';

/** The alarm address the tests deploy staging and prod with (`-c alarmEmail`, required there). */
export const TEST_ALARM_EMAIL = 'ops@example.com';

export interface SynthesizedStage {
  readonly app: App;
  readonly config: StageConfig;
  readonly stacks: PainelStacks;
  readonly template: (stack: keyof PainelStacks) => Template;
}

/**
 * Builds a stage's stacks without bundling (`aws:cdk:bundling-stacks: []`) and with the site
 * placeholder, so a local frontend build never changes a test. cdk-nag runs only when loggers are
 * given (the nag test); templates are synthesized once per stack.
 */
export function synthStage(stage: StageName, options: SynthOptions = {}): SynthesizedStage {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const config = loadStageConfig({
    stage,
    account: options.account,
    region: options.region,
    alarmEmail: options.alarmEmail ?? (stage === 'dev' ? undefined : TEST_ALARM_EMAIL),
    // prod as it should be deployed: Cognito's e-mails through SES (`null`: without, to see the warning)
    emailFrom: options.emailFrom === null ? undefined : (options.emailFrom ?? (stage === 'prod' ? TEST_EMAIL_FROM : undefined)),
  });
  const stacks = buildStage(app, config, { siteSourceDir: PLACEHOLDER_DIR, nag: Boolean(options.nagLoggers), nagLoggers: options.nagLoggers });
  const templates = new Map<string, Template>();
  return {
    app,
    config,
    stacks,
    template: (name) => {
      if (!templates.has(name)) templates.set(name, Template.fromStack(stacks[name] as Stack));
      return templates.get(name)!;
    },
  };
}

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

/** The resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The logical id of a construct's default CloudFormation resource in its stack. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** Every IAM statement attached to a role (its inline default policy), actions flattened. */
export function statementsOfRole(template: Template, roleLogicalId: string): Array<{ actions: string[]; resource: string }> {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleLogicalId),
  );
  return policies.flatMap((policy) =>
    (policy.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement.map((statement) => ({
      actions: ([] as string[]).concat(statement.Action),
      resource: JSON.stringify(statement.Resource),
    })),
  );
}

export const SYNTH_TIMEOUT_MS = 120_000;
