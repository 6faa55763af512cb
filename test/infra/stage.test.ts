import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';
import type { PainelStacks } from '../../lib/painel-app';

let prod: SynthesizedStage;

beforeAll(() => {
  prod = synthStage('prod');
}, SYNTH_TIMEOUT_MS);

const STACKS: Array<keyof PainelStacks> = ['data', 'auth', 'web', 'api', 'jobs', 'webContent'];

/** Properties that would pin a physical name when given a literal (CloudFormation must generate them, so stages can share an account). */
const NAME_PROPERTIES = ['FunctionName', 'TableName', 'BucketName', 'RoleName', 'UserPoolName', 'DBClusterIdentifier', 'DBInstanceIdentifier', 'QueueName', 'TopicName', 'LogGroupName', 'SecretName'];

describe('a stage', () => {
  it('lets CloudFormation generate every physical name', () => {
    for (const stack of STACKS) {
      const template = prod.template(stack).toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
      for (const [id, resource] of Object.entries(template.Resources)) {
        const pinned = NAME_PROPERTIES.filter((key) => typeof resource.Properties?.[key] === 'string');
        expect({ id, pinned }).toEqual({ id, pinned: [] });
      }
    }
  });

  it('deploys in order: data and auth, the site hosting, the API, the jobs, the site content', () => {
    const { data, auth, web, api, jobs, webContent } = prod.stacks;
    expect(api.dependencies).toEqual(expect.arrayContaining([data, auth, web]));
    expect(jobs.dependencies).toEqual(expect.arrayContaining([data, api]));
    expect(webContent.dependencies).toEqual(expect.arrayContaining([web, api, auth]));
  });

  it('outputs the API URL, the web URL, the user pool id and the client id', () => {
    expect(Object.keys(prod.template('api').findOutputs('*'))).toContain('ApiUrl');
    expect(Object.keys(prod.template('web').findOutputs('*'))).toContain('WebUrl');
    expect(Object.keys(prod.template('auth').findOutputs('*'))).toEqual(expect.arrayContaining(['UserPoolId', 'UserPoolClientId']));
  });

  it('traces the functions and the API when the stage says so (prod)', () => {
    for (const fn of Object.values(resourcesOf(prod.template('api'), 'AWS::Lambda::Function'))) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    prod.template('api').hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});
