import type { LocalSecretsManager } from './server';

export { startLocalSecretsManager, type LocalSecretsManager, type LocalSecretsManagerOptions } from './server';

/** The environment that points unmodified handler modules' SecretsManagerClient at the local one. */
export function secretsHandlerEnvironment(local: Pick<LocalSecretsManager, 'endpoint'>): { AWS_ENDPOINT_URL_SECRETS_MANAGER: string } {
  return { AWS_ENDPOINT_URL_SECRETS_MANAGER: local.endpoint };
}
