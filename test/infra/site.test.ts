import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
}, SYNTH_TIMEOUT_MS);

describe('The site (hosting in the Api stack, content in WebContent)', () => {
  it('serves a private bucket through CloudFront with origin access control, HTTPS only', () => {
    const template = dev.template('api');
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

  it("sends a Content-Security-Policy: scripts only from the site, connections only to the stage's API and Cognito", () => {
    const template = dev.template('api');
    const [policy] = Object.values(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = (policy!.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> }).SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    // connect-src names this stage's REST API (its id, a reference) and Cognito's regional endpoint.
    expect(csp).toMatch(/connect-src 'self' https:\/\/","?\{"Ref":"Api[0-9A-F]+"\}/);
    expect(csp).toContain('.execute-api.');
    expect(csp).toContain('https://cognito-idp.');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      StrictTransportSecurity: { IncludeSubdomains: true, Override: true },
    });
    // The distribution's default behaviour uses that policy.
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: Object.keys(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'))[0] } }) }),
    });
  });

  it("deploys the site with a config.json naming the stage's API and Cognito ids", () => {
    const deployments = Object.values(resourcesOf(dev.template('webContent'), 'Custom::CDKBucketDeployment'));
    const site = deployments.find((deployment) => deployment.Properties.Prune === true)!;
    const markers = JSON.stringify(site.Properties.SourceMarkers);
    // The JSON source's markers resolve, at deploy time, to the API URL, the region, the pool and the client.
    expect(markers).toContain('execute-api');
    expect(markers).toMatch(/ImportValue[^}]*UserPool[0-9A-F]/);
    expect(markers).toMatch(/ImportValue[^}]*UserPoolWebClient/);
    expect(markers).toContain('AWS::Region');
    expect(site.Properties).toMatchObject({ DistributionPaths: ['/*'], Exclude: ['_next/static/*'] });
  });
});
