import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { GROUPS, type Group } from '../../lambda/shared/auth';
import type { StageConfig } from '../config';

export interface AuthStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The custom attribute that carries a user's tenant (`custom:tenant_id` in the ID token). */
export const TENANT_ID_ATTRIBUTE = 'tenant_id';

const GROUP_DESCRIPTIONS: Record<Group, string> = {
  INTERNAL_ADMIN: 'Internal staff: every tenant, billing, operational commands',
  INTERNAL_SUPPORT: 'Internal support: every tenant, operational commands, no billing',
  TENANT_ADMIN: "A tenant's administrator: the tenant's data, integrations included",
  TENANT_USER: "A tenant's user: the tenant's data",
};

/**
 * Cognito: the user pool (administrator-created accounts, strong passwords, optional TOTP), the
 * four groups the route manifest names, and the web app's client.
 */
export class AuthStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.removalPolicy === 'retain';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by administrators (docs/operations.md, "The first users"): nobody signs themselves up into a tenant.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      // Mutable so administrators can set it (admin-update-user-attributes); no app client may write it.
      customAttributes: { [TENANT_ID_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 36, maxLen: 36, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: config.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      email: userPoolEmail(this, config),
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.userPool, [
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus feature plan (threat protection) is priced per monthly active user; accounts here are few, created by administrators, with a strong password policy and TOTP available. Revisit if the panel opens self-service sign-in.',
      },
      ...(config.mfa === 'required'
        ? []
        : [
            {
              id: 'AwsSolutions-COG2',
              reason: 'Cognito sets MFA for the whole pool, not per group: requiring it would force every tenant user to enrol TOTP. TOTP is optional and staff enrol it per user (docs/operations.md, "The first users").',
            },
          ]),
    ]);

    if (!config.email && config.stage === 'prod') {
      // Info, not a warning: a warning fails synthesis here (cdk.json's validation report), and a
      // first deploy must not need a verified SES domain.
      Annotations.of(this.userPool).addInfo(
        "prod sends Cognito's e-mails (temporary passwords, reset codes) with Cognito's built-in sender, which is meant for development and has a low daily quota: pass -c emailFrom=<address on a domain verified in SES> (docs/operations.md, \"Deploy a stage\").",
      );
    }

    GROUPS.forEach((group, precedence) => {
      new cognito.CfnUserPoolGroup(this, `Group${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: GROUP_DESCRIPTIONS[group],
        // Lower wins when a user is in several groups; staff first.
        precedence,
      });
    });

    this.webClient = this.userPool.addClient('WebClient', {
      // A browser cannot keep a client secret.
      generateSecret: false,
      authFlows: { userPassword: true },
      // The app signs in with InitiateAuth; no hosted UI, so no OAuth flows or callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // Hours (StageConfig.session): sign-in again after that; sign-out revokes it (RevokeToken).
      refreshTokenValidity: Duration.hours(config.session.refreshTokenValidityHours),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(TENANT_ID_ATTRIBUTE),
      // Explicit: without WriteAttributes a client may write every mutable attribute, custom:tenant_id
      // included, and a tenant user could move themselves into another tenant.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool (config.json userPoolId)' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.webClient.userPoolClientId, description: 'Web app client (config.json clientId)' });
  }
}

/**
 * Cognito's sender: Amazon SES when the stage names an identity (`email`), else Cognito's built-in
 * sender ("Email settings for Amazon Cognito user pools": the default is for development and
 * testing, with a daily quota; production pools should send through SES).
 */
function userPoolEmail(scope: Stack, config: StageConfig): cognito.UserPoolEmail | undefined {
  const email = config.email;
  if (!email) return undefined;
  return cognito.UserPoolEmail.withSES({
    fromEmail: email.fromEmail,
    fromName: email.fromName,
    replyTo: email.replyTo,
    sesRegion: email.sesRegion ?? scope.region,
    ...(email.identity === 'domain' ? { sesVerifiedDomain: email.fromEmail.split('@')[1]! } : {}),
  });
}
