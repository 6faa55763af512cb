import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { AttributeType, KeyAttribute, TableDeclaration } from '@lambda/commands/declaration';

/**
 * The CreateTable request for a declared table, so the declaration stays the only source of keys,
 * indexes and stream settings locally (the CDK stack reads the same object). TTL is not part of
 * CreateTable in the API; it is a separate UpdateTimeToLive call.
 */
export function createTableInput(decl: TableDeclaration, tableName: string): CreateTableCommandInput {
  // DynamoDB wants each key attribute defined exactly once, and refuses definitions no key uses.
  const attributes = new Map<string, AttributeType>();
  const define = (key: KeyAttribute) => {
    const known = attributes.get(key.name);
    if (known && known !== key.type) throw new Error(`Attribute ${key.name} is declared both as ${known} and as ${key.type}`);
    attributes.set(key.name, key.type);
  };
  define(decl.partitionKey);
  const indexes = Object.values(decl.indexes ?? {});
  for (const index of indexes) {
    define(index.partitionKey);
    define(index.sortKey);
  }

  return {
    TableName: tableName,
    BillingMode: decl.billingMode,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [{ AttributeName: decl.partitionKey.name, KeyType: 'HASH' }],
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })) }),
    ...(decl.streamViewType && { StreamSpecification: { StreamEnabled: true, StreamViewType: decl.streamViewType } }),
  };
}
