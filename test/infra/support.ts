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
}

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
  const config = loadStageConfig({ stage, account: options.account, region: options.region });
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
