import type { Stack } from 'aws-cdk-lib';
import type { INagLogger, NagLoggerNonComplianceData, NagLoggerSuppressedData } from 'cdk-nag';
import { STAGES } from '../../lib/config';
import { SYNTH_TIMEOUT_MS, synthStage } from './support';

interface Findings {
  unsuppressed: string[];
  suppressed: Array<{ finding: string; reason: string }>;
}

/** Collects every AwsSolutions finding, suppressed or not, and every rule that failed to evaluate. */
function collector(findings: Findings): INagLogger {
  const name = (data: NagLoggerNonComplianceData) => `${data.ruleId}${data.findingId ? `[${data.findingId}]` : ''} (${data.ruleLevel}) at ${data.resource.node.path}`;
  return {
    onCompliance: () => {},
    onNotApplicable: () => {},
    onNonCompliance: (data) => findings.unsuppressed.push(name(data)),
    onError: (data) => findings.unsuppressed.push(`${data.ruleId} could not be evaluated at ${data.resource.node.path}: ${data.errorMessage}`),
    onSuppressed: (data: NagLoggerSuppressedData) => findings.suppressed.push({ finding: name(data), reason: data.suppressionReason }),
    onSuppressedError: (data) => findings.suppressed.push({ finding: `${data.ruleId} (evaluation error) at ${data.resource.node.path}`, reason: data.errorSuppressionReason }),
  };
}

function nag(stage: (typeof STAGES)[number], env: { account?: string; region?: string } = {}) {
  const findings: Findings = { unsuppressed: [], suppressed: [] };
  const { app, stacks } = synthStage(stage, { nagLoggers: [collector(findings)], ...env });
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    // Unsuppressed errors also fail synthesis (validation report); the list below says which.
    synthError = error;
  }
  return { findings, stacks: Object.values(stacks) as Stack[], synthError };
}

describe('cdk-nag AwsSolutions checks', () => {
  const cases = [...STAGES.map((stage) => ({ stage, env: {} })), { stage: 'prod' as const, env: { account: '123456789012', region: 'sa-east-1' } }];

  it.each(cases)('leaves no unsuppressed error or warning in any $stage stack $env', ({ stage, env }) => {
    const { findings, stacks, synthError } = nag(stage, env);

    expect(findings.unsuppressed).toEqual([]);
    expect(synthError).toBeUndefined();
    expect(stacks.map((stack) => stack.stackName)).toEqual(['Data', 'Auth', 'Api', 'Jobs', 'WebContent'].map((name) => `Painel-${stage}-${name}`));

    // Every suppression explains itself specifically, on the resource it concerns (never a whole stack).
    for (const { finding, reason } of findings.suppressed) expect({ finding, reason: reason.length >= 60 }).toEqual({ finding, reason: true });
    for (const stack of stacks) expect(stack.templateOptions.metadata?.cdk_nag).toBeUndefined();
  }, SYNTH_TIMEOUT_MS);
});
