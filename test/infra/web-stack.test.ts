import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
}, SYNTH_TIMEOUT_MS);

describe('Web stacks', () => {
  it('serves a private bucket through CloudFront with origin access control, HTTPS only', () => {
    const template = dev.template('web');
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })] }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    for (const bucket of Object.values(resourcesOf(template, 'AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
    template.hasOutput('WebUrl', { Value: Match.anyValue() });
  });

  it("deploys the site with a config.json naming the stage's API and Cognito ids", () => {
    const deployments = Object.values(resourcesOf(dev.template('webContent'), 'Custom::CDKBucketDeployment'));
    const site = deployments.find((deployment) => deployment.Properties.Prune === true)!;
    const markers = JSON.stringify(site.Properties.SourceMarkers);
    // The JSON source's markers resolve, at deploy time, to the API URL, the region, the pool and the client.
    expect(markers).toContain('execute-api');
    expect(markers).toMatch(/OutputName":"[^"]*UserPool[0-9A-F]/);
    expect(markers).toMatch(/OutputName":"[^"]*UserPoolWebClient/);
    expect(markers).toContain('AWS::Region');
    expect(site.Properties).toMatchObject({ DistributionPaths: ['/*'], Exclude: ['_next/static/*'] });
  });
});
