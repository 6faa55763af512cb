import { Match } from 'aws-cdk-lib/assertions';
import { GROUPS } from '../../lambda/shared/auth';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;
let prod: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
  prod = synthStage('prod');
}, SYNTH_TIMEOUT_MS);

describe('Auth stack', () => {
  it('creates the four groups the route manifest names', () => {
    const groups = Object.values(resourcesOf(dev.template('auth'), 'AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...GROUPS].sort());
    expect(GROUPS).toEqual(['INTERNAL_ADMIN', 'INTERNAL_SUPPORT', 'TENANT_ADMIN', 'TENANT_USER']);
  });

  it('lets no app client write custom:tenant_id (only administrators set it)', () => {
    for (const stage of [dev, prod]) {
      const clients = Object.values(resourcesOf(stage.template('auth'), 'AWS::Cognito::UserPoolClient'));
      expect(clients.length).toBeGreaterThan(0);
      for (const client of clients) {
        // Absent WriteAttributes would mean "every writable attribute", custom ones included.
        const writable = client.Properties.WriteAttributes as string[] | undefined;
        expect(writable).toBeDefined();
        expect(writable!.some((attribute) => attribute.startsWith('custom:'))).toBe(false);
      }
    }
    // The attribute itself stays mutable, for admin-update-user-attributes.
    dev.template('auth').hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true })]),
    });
  });

  it('has administrator-only sign-up, a strong password policy and optional TOTP MFA', () => {
    dev.template('auth').hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UsernameAttributes: ['email'],
    });
  });

  it('gives the web app a public client with USER_PASSWORD_AUTH and refresh tokens, no OAuth', () => {
    dev.template('auth').hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      ReadAttributes: Match.arrayWith(['custom:tenant_id']),
    });
  });

  it('limits refresh tokens to the stage config’s hours (not Cognito’s 30 days) and keeps them revocable', () => {
    for (const [stage, hours] of [[dev, 12], [prod, 10]] as const) {
      expect(stage.config.session.refreshTokenValidityHours).toBe(hours);
      const [client] = Object.values(resourcesOf(stage.template('auth'), 'AWS::Cognito::UserPoolClient'));
      // CloudFormation gets the number with its unit: minutes unless TokenValidityUnits says otherwise.
      const unit = (client!.Properties.TokenValidityUnits as { RefreshToken?: string } | undefined)?.RefreshToken ?? 'days';
      const minutes = Number(client!.Properties.RefreshTokenValidity) * ({ minutes: 1, hours: 60, days: 1440 } as Record<string, number>)[unit]!;
      expect(minutes).toBe(hours * 60);
      expect(client!.Properties.EnableTokenRevocation).toBe(true);
    }
  });

  it('protects the prod user pool from deletion', () => {
    prod.template('auth').hasResource('AWS::Cognito::UserPool', { Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }), DeletionPolicy: 'Retain' });
    dev.template('auth').hasResource('AWS::Cognito::UserPool', { Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }), DeletionPolicy: 'Delete' });
  });

  it('outputs the user pool id and the client id', () => {
    dev.template('auth').hasOutput('UserPoolId', { Value: { Ref: Match.stringLikeRegexp('^UserPool') } });
    dev.template('auth').hasOutput('UserPoolClientId', { Value: { Ref: Match.stringLikeRegexp('^UserPoolWebClient') } });
  });
});
