import { getDynamoClient } from '../shared/aws/dynamodb';
import { getSecretsClient } from '../shared/aws/secrets-manager';
import { commandStoreDeps, type CommandDeps } from './deps';

/**
 * The processor's dependencies. A module of its own so that the routes' and the sweeper's
 * bundles never import the Secrets Manager client.
 */
export function commandDeps(): CommandDeps {
  return { ...commandStoreDeps(), dynamo: getDynamoClient(), secrets: getSecretsClient() };
}
