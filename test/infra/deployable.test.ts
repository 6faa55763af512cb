import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lambda/routes';
import { BUSINESS_METRICS } from '../../lambda/shared/business-metrics';
import { loadStageConfig, STAGES } from '../../lib/config';
import { AURORA_POSTGRES_RETIRED_VERSIONS, AURORA_POSTGRES_VERSION, isOfferedForNewClusters } from '../../lib/config/aurora-versions';
import { HOUSE_BUNDLING, POWERTOOLS_VERSION, powertoolsLayerParameter } from '../../lib/constructs/app-function';
import { AURORA_CAPACITY_ALARM_RATIO } from '../../lib/stacks/data-stack';
import type { PainelStacks } from '../../lib/painel-app';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage, TEST_ALARM_EMAIL, TEST_EMAIL_FROM } from './support';

/** Issue 17: what a fresh account's first `cdk deploy` and its first day of operation need. */
let dev: SynthesizedStage;
let prod: SynthesizedStage;
const STACKS: Array<keyof PainelStacks> = ['data', 'auth', 'api', 'jobs', 'webContent'];

beforeAll(() => {
  dev = synthStage('dev');
  prod = synthStage('prod');
  for (const stack of STACKS) [dev, prod].forEach((stage) => stage.template(stack));
}, SYNTH_TIMEOUT_MS);

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resources = (stage: SynthesizedStage, stack: keyof PainelStacks) => (stage.template(stack).toJSON() as { Resources: Record<string, Resource> }).Resources;
/** The functions the project builds (AppFunction), as opposed to aws-cdk-lib's helpers. */
const isAppFunction = (resource: Resource) =>
  resource.Type === 'AWS::Lambda::Function' && (resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined;
const everyResource = (stage: SynthesizedStage) => STACKS.flatMap((stack) => Object.entries(resources(stage, stack)).map(([id, resource]) => ({ stack, id, resource })));

describe('the Aurora engine version', () => {
  it('is one AWS still offers for new clusters, declared once and used by every stage', () => {
    expect(isOfferedForNewClusters(AURORA_POSTGRES_VERSION)).toBe(true);
    for (const stage of STAGES) expect(loadStageConfig({ stage, alarmEmail: TEST_ALARM_EMAIL }).database.engineVersion).toBe(AURORA_POSTGRES_VERSION);
    for (const stage of [dev, prod]) stage.template('data').hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', EngineVersion: AURORA_POSTGRES_VERSION });
  });

  it('is at least the PostgreSQL 16 long-term-support minor (16.8)', () => {
    const [major, minor] = AURORA_POSTGRES_VERSION.split('.').map(Number) as [number, number];
    expect(major > 16 || (major === 16 && minor >= 8)).toBe(true);
  });

  it('knows the retired minors (16.6 and 15.8 among them), and a config pinned to one fails by name', () => {
    expect(AURORA_POSTGRES_RETIRED_VERSIONS).toEqual(expect.arrayContaining(['15.8', '16.1', '16.2', '16.3', '16.4', '16.6']));
    for (const version of AURORA_POSTGRES_RETIRED_VERSIONS) expect(isOfferedForNewClusters(version)).toBe(false);
  });
});

describe('the functions’ runtime', () => {
  it('is nodejs24.x for every function the project builds, bundled for Node 24', () => {
    expect(HOUSE_BUNDLING.target).toBe('node24');
    for (const stage of [dev, prod]) {
      const built = everyResource(stage).filter(({ resource }) => isAppFunction(resource));
      expect(built.length).toBeGreaterThanOrEqual(ROUTES.length + 4);
      for (const { id, resource } of built) expect({ id, runtime: resource.Properties.Runtime }).toEqual({ id, runtime: 'nodejs24.x' });
    }
  });
});

describe('alarms reach a person', () => {
  it('require -c alarmEmail for staging and prod (dev keeps a placeholder)', () => {
    for (const stage of ['staging', 'prod'] as const) {
      expect(() => loadStageConfig({ stage })).toThrow(/-c alarmEmail=/);
      // A reserved, undeliverable domain is refused too.
      expect(() => loadStageConfig({ stage, alarmEmail: 'alertas@alquimista.example' })).toThrow(/alarmEmail: alarm e-mail must be a deliverable address/);
    }
    expect(loadStageConfig({ stage: 'dev' }).alarmEmail).toMatch(/@/);
  });

  it('go to one topic with the stage’s e-mail subscription, from every stack that has alarms', () => {
    prod.template('data').hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: TEST_ALARM_EMAIL });
    prod.template('data').resourceCountIs('AWS::SNS::Topic', 1);
    const alarms = everyResource(prod).filter(({ resource }) => resource.Type === 'AWS::CloudWatch::Alarm');
    expect(new Set(alarms.map(({ stack }) => stack))).toEqual(new Set(['data', 'api', 'jobs']));
    for (const { resource } of alarms) {
      expect(JSON.stringify(resource.Properties.AlarmActions)).toMatch(/AlarmsTopic|ImportValue/);
      expect(resource.Properties.OKActions).toEqual(resource.Properties.AlarmActions);
    }
  });

  it('watch the throttles of every function the project builds, in every stack', () => {
    for (const stack of STACKS) {
      const template = resources(prod, stack);
      const built = Object.entries(template).filter(([, r]) => isAppFunction(r)).map(([id]) => id);
      const watched = Object.values(template)
        .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'Throttles')
        .map((r) => (r.Properties.Dimensions as Array<{ Value: { Ref: string } }>)[0]!.Value.Ref);
      expect({ stack, watched: watched.sort() }).toEqual({ stack, watched: built.sort() });
    }
  });

  it('watch Aurora’s capacity near its maximum and DynamoDB throttling', () => {
    prod.template('data').hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ServerlessDatabaseCapacity',
      Namespace: 'AWS/RDS',
      Statistic: 'Maximum',
      Threshold: prod.config.database.maxCapacity * AURORA_CAPACITY_ALARM_RATIO,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const throttles = Object.values(resources(prod, 'data')).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Metrics ?? '').includes('ThrottledRequests'));
    expect(throttles).toBeDefined();
    const operations = JSON.stringify(throttles!.Properties.Metrics).match(/"Operation","Value":"(\w+)"/g) ?? [];
    expect(operations.length).toBe(4);
  });

  it('watch the API’s 5xx rate from the API’s own stack', () => {
    const rate = Object.values(resources(prod, 'api')).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && Array.isArray(r.Properties.Metrics));
    expect(rate!.Properties).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(JSON.stringify(rate!.Properties.Metrics)).toContain('100 * errors / requests');
  });
});

describe('stateful resources', () => {
  const secrets = (stage: SynthesizedStage) => Object.values(resources(stage, 'data')).filter((r) => r.Type === 'AWS::SecretsManager::Secret');

  it('retain both database secrets wherever the cluster (or its snapshot) survives; dev deletes them', () => {
    const staging = synthStage('staging');
    expect(secrets(prod).map((s) => s.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    expect(secrets(staging).map((s) => s.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    expect(secrets(dev).map((s) => s.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  it('leave nothing behind when dev is destroyed: no retained resource, every function logs to a group its stack deletes', () => {
    const all = everyResource(dev);
    for (const { stack, id, resource } of all) {
      expect({ stack, id, retained: resource.DeletionPolicy === 'Retain' || resource.UpdateReplacePolicy === 'Retain' }).toEqual({ stack, id, retained: false });
    }
    for (const stack of STACKS) {
      const template = resources(dev, stack);
      for (const [id, fn] of Object.entries(template).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
        const ref = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
        expect({ stack, id, ownsLogGroup: ref !== undefined && template[ref]?.Type === 'AWS::Logs::LogGroup' }).toEqual({ stack, id, ownsLogGroup: true });
      }
    }
    // No LogRetention function: RDS's PostgreSQL log group is a resource of the Data stack.
    expect(all.some(({ resource }) => resource.Type === 'Custom::LogRetention')).toBe(false);
    dev.template('data').hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', ['/aws/rds/cluster/', Match.anyValue(), '/postgresql']] } });
  });

  it('keep API Gateway’s account CloudWatch role in prod and delete it with dev', () => {
    const role = (stage: SynthesizedStage) => Object.entries(resources(stage, 'api')).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('ApiCloudWatchRole'))![1];
    expect(role(prod).DeletionPolicy).toBe('Retain');
    expect(role(dev).DeletionPolicy).toBe('Delete');
  });
});

describe('observability', () => {
  it('traces with Powertools when the stage traces: X-Ray active, the Powertools layer of the pinned version', () => {
    const parameter = powertoolsLayerParameter();
    expect(parameter).toBe(`/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`);
    for (const stack of ['api', 'jobs', 'data'] as const) {
      const template = prod.template(stack).toJSON() as { Parameters: Record<string, { Type: string; Default?: string }>; Resources: Record<string, Resource> };
      const layerParameter = Object.entries(template.Parameters).find(([, p]) => p.Default === parameter);
      expect(layerParameter).toBeDefined();
      for (const fn of Object.values(template.Resources).filter(isAppFunction)) {
        expect(fn.Properties).toMatchObject({
          TracingConfig: { Mode: 'Active' },
          Layers: [{ Ref: layerParameter![0] }],
          Environment: { Variables: expect.objectContaining({ POWERTOOLS_TRACE_ENABLED: 'true', POWERTOOLS_METRICS_NAMESPACE: 'Painel/prod', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' }) },
        });
      }
    }
    // dev does not trace: no layer at all.
    for (const fn of Object.values(resources(dev, 'api')).filter((r) => r.Type === 'AWS::Lambda::Function')) expect(fn.Properties.Layers).toBeUndefined();
  });

  it('draws one dashboard per stage: API per route, functions, iterator age, Aurora, DynamoDB, commands, the nightly run', () => {
    prod.template('jobs').resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(resources(prod, 'jobs')).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const expected of [
      'MetricName=\\\\\\"Latency\\\\\\"',
      'MetricName=\\\\\\"5XXError\\\\\\"',
      'MetricName=\\\\\\"Errors\\\\\\"',
      'MetricName=\\\\\\"Throttles\\\\\\"',
      'MetricName=\\\\\\"Duration\\\\\\"',
      'MetricName=\\\\\\"IteratorAge\\\\\\"',
      'MetricName=\\\\\\"ServerlessDatabaseCapacity\\\\\\"',
      'MetricName=\\\\\\"DatabaseConnections\\\\\\"',
      'MetricName=\\\\\\"ThrottledRequests\\\\\\"',
      ...Object.values(BUSINESS_METRICS).map((metric) => `MetricName=\\\\\\"${metric.name}\\\\\\"`),
    ]) {
      expect(body).toContain(expected);
    }
    expect(body).toContain('Painel/prod');
    // Found by name, not by reference: the dashboard imports nothing from other stacks.
    expect(body).not.toContain('Fn::ImportValue');
  });
});

describe('Cognito’s e-mail', () => {
  it('goes through SES when the stage names a sender (prod should)', () => {
    prod.template('auth').hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: TEST_EMAIL_FROM, SourceArn: Match.anyValue() }),
    });
    expect(JSON.stringify(resources(prod, 'auth'))).toContain(':identity/example.com');
  });

  it('says so when prod would use Cognito’s built-in sender', () => {
    const bare = synthStage('prod', { emailFrom: null });
    Annotations.fromStack(bare.stacks.auth).hasInfo('*', Match.stringLikeRegexp('-c emailFrom='));
    Annotations.fromStack(prod.stacks.auth).hasNoInfo('*', Match.stringLikeRegexp('-c emailFrom='));
  });
});
