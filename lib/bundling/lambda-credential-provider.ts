import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles only (an esbuild alias in
 * HOUSE_BUNDLING; the unbundled code — tests, `npm run dev` — keeps the full chain).
 *
 * Why: in Lambda the execution role's credentials are always in the environment, which is the
 * first link of the default chain, so the chain's other links (SSO, ini files, process, web
 * identity, container and instance metadata, with the STS/SSO clients they embed) can never be
 * reached there — yet they are ~120 KB of every minified bundle and of every cold start's parsing.
 */
export const defaultProvider = (init: FromEnvInit = {}): AwsCredentialIdentityProvider => fromEnv(init);
