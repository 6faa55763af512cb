import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';
import type { PainelStacks } from '../../lib/painel-app';

let prod: SynthesizedStage;

beforeAll(() => {
  prod = synthStage('prod');
}, SYNTH_TIMEOUT_MS);

const STACKS: Array<keyof PainelStacks> = ['data', 'auth', 'api', 'jobs', 'webContent'];

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

  it('deploys in order: data and auth, the API with the site hosting, the jobs, the site content', () => {
    const { data, auth, api, jobs, webContent } = prod.stacks;
    expect(api.dependencies).toEqual(expect.arrayContaining([data, auth]));
    expect(jobs.dependencies).toEqual(expect.arrayContaining([data]));
    expect(webContent.dependencies).toEqual(expect.arrayContaining([api, auth]));
  });

  it('references other stacks strongly (Fn::ImportValue), never by a weak Fn::GetStackOutput', () => {
    // A strong reference makes CloudFormation refuse to delete or change an export still in use.
    const imports = STACKS.map((stack) => JSON.stringify(prod.template(stack).toJSON()));
    expect(imports.some((template) => template.includes('Fn::ImportValue'))).toBe(true);
    for (const template of imports) expect(template).not.toContain('Fn::GetStackOutput');
  });

  it('outputs the API URL, the web URL, the user pool id and the client id', () => {
    expect(Object.keys(prod.template('api').findOutputs('*'))).toEqual(expect.arrayContaining(['ApiUrl', 'WebUrl']));
    expect(Object.keys(prod.template('auth').findOutputs('*'))).toEqual(expect.arrayContaining(['UserPoolId', 'UserPoolClientId']));
  });

  it('traces the functions and the API when the stage says so (prod)', () => {
    for (const fn of Object.values(resourcesOf(prod.template('api'), 'AWS::Lambda::Function'))) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    prod.template('api').hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});
