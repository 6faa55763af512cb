import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traceClient } from '../tracer';

/** The Secrets Manager client, once per process (AWS_ENDPOINT_URL_SECRETS_MANAGER points it locally). */
let secrets: SecretsManagerClient | undefined;

export function getSecretsClient(): SecretsManagerClient {
  return (secrets ??= traceClient(new SecretsManagerClient({})));
}
