import { COMMANDS_TABLE, type TableDeclaration } from '@lambda/commands/declaration';
import { createTableInput } from '@local/dynamodb/table';

describe('createTableInput', () => {
  test('the commands table: key, indexes with ALL projection, on-demand billing, stream', () => {
    // WHEN the declaration becomes a CreateTable request
    const input = createTableInput(COMMANDS_TABLE, 'Commands-test');

    // THEN every part comes from the declaration
    expect(input).toEqual({
      TableName: 'Commands-test',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'command_id', KeyType: 'HASH' }],
      AttributeDefinitions: expect.arrayContaining([
        { AttributeName: 'command_id', AttributeType: 'S' },
        { AttributeName: 'tenant_id', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'list_pk', AttributeType: 'S' },
        { AttributeName: 'created_at', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: Object.values(COMMANDS_TABLE.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  test('an attribute shared by several keys is defined once', () => {
    const names = createTableInput(COMMANDS_TABLE, 'x').AttributeDefinitions!.map((a) => a.AttributeName);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(names.length);
  });

  test('an attribute declared with two types is refused', () => {
    const conflicting: TableDeclaration = {
      ...COMMANDS_TABLE,
      indexes: { byAge: { name: 'age-index', partitionKey: { name: 'command_id', type: 'N' }, sortKey: { name: 'created_at', type: 'S' }, projection: 'ALL' } },
    };
    expect(() => createTableInput(conflicting, 'x')).toThrow(/command_id is declared both as S and as N/);
  });
});
