import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceClient } from '../tracer';

/**
 * AWS clients, each created once per process (at a handler module's load, reused across
 * invocations), one module per service so a bundle carries only the SDK clients its handler
 * uses. Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL_DYNAMODB here), which
 * is how the local runtime points them at its stand-ins.
 */
let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;

export function getDynamoClient(): DynamoDBClient {
  return (dynamo ??= traceClient(new DynamoDBClient({})));
}

/** Plain JS values in and out; undefined attributes are dropped rather than rejected. */
export function getDocumentClient(): DynamoDBDocumentClient {
  return (documents ??= DynamoDBDocumentClient.from(getDynamoClient(), { marshallOptions: { removeUndefinedValues: true } }));
}
