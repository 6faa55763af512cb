import type { DynamoDBRecord } from 'aws-lambda';
import { COMMAND_PROCESSOR } from '@lambda/commands/declaration';
import { compileFilters } from '@local/dynamodb/filter';
import { changeRecord, LocalStream } from '@local/dynamodb/stream';

const record = (eventName: DynamoDBRecord['eventName'], status?: string): DynamoDBRecord => ({
  eventName,
  dynamodb: { Keys: { command_id: { S: 'c' } }, ...(status ? { NewImage: { command_id: { S: 'c' }, status: { S: status } } } : {}) },
});

describe('compileFilters (Lambda filter criteria)', () => {
  test('the processor filter passes only a PENDING new image (a command is PENDING only when inserted)', () => {
    const matches = compileFilters(COMMAND_PROCESSOR.filters);
    expect(matches(record('INSERT', 'PENDING'))).toBe(true);
    expect(matches(record('INSERT', 'RUNNING'))).toBe(false);
    expect(matches(record('MODIFY', 'RUNNING'))).toBe(false);
    expect(matches(record('REMOVE'))).toBe(false);
  });

  test('a filter may only name the dynamodb key, as the service requires of DynamoDB sources', () => {
    expect(() => compileFilters([{ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['PENDING'] } } } }])).toThrow(/may only name the dynamodb key, not eventName/);
    expect(() => compileFilters([{ eventName: ['REMOVE'] }])).toThrow(/only name the dynamodb key/);
  });

  test('patterns are OR-ed; values within an array are OR-ed; types must agree', () => {
    const matches = compileFilters([{ dynamodb: { Keys: { command_id: { S: ['x'] } } } }, { dynamodb: { NewImage: { status: { S: ['SUCCESS', 'ERROR'] } } } }]);
    expect(matches({ eventName: 'REMOVE', dynamodb: { Keys: { command_id: { S: 'x' } } } })).toBe(true);
    expect(matches(record('MODIFY', 'ERROR'))).toBe(true);
    expect(matches(record('MODIFY', 'RUNNING'))).toBe(false);
    expect(compileFilters([{ dynamodb: { n: [5] } }])({ dynamodb: { n: '5' } })).toBe(false);
    expect(compileFilters([{ dynamodb: { tags: ['a'] } }])({ dynamodb: { tags: ['b', 'a'] } })).toBe(true);
  });

  test('no filters pass everything', () => {
    expect(compileFilters(undefined)(record('REMOVE'))).toBe(true);
    expect(compileFilters([])(record('REMOVE'))).toBe(true);
  });

  test.each([
    [{ dynamodb: { Keys: [{ 'anything-but': ['x'] }] } }, /not implemented/],
    [{ dynamodb: { Keys: [{ exists: true }] } }, /not implemented/],
    [{ dynamodb: { Keys: [] } }, /empty array/],
    [{ dynamodb: 'INSERT' }, /must be arrays/],
    [{}, /empty pattern/],
  ])('an unsupported or invalid pattern %j is refused', (pattern, message) => {
    expect(() => compileFilters([pattern as Record<string, unknown>])).toThrow(message);
  });
});

describe('changeRecord', () => {
  const stream = new LocalStream('T', 'NEW_AND_OLD_IMAGES', new Date('2026-11-01T10:00:00.123Z'));
  const at = new Date('2026-11-01T10:00:05.900Z');
  const base = { stream, keyNames: ['id'], sequenceNumber: '000000000000000000001', at };

  test('the stream ARN carries the creation time without zone, as the service labels it', () => {
    expect(stream.streamArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-11-01T10:00:00.123');
  });

  test('INSERT, MODIFY and REMOVE follow the images; no change means no record', () => {
    const a = { id: { S: '1' }, v: { N: '1' } };
    const b = { id: { S: '1' }, v: { N: '2' } };
    expect(changeRecord({ ...base, oldImage: undefined, newImage: a })?.eventName).toBe('INSERT');
    expect(changeRecord({ ...base, oldImage: a, newImage: b })?.eventName).toBe('MODIFY');
    expect(changeRecord({ ...base, oldImage: a, newImage: undefined })?.eventName).toBe('REMOVE');
    expect(changeRecord({ ...base, oldImage: a, newImage: { v: { N: '1' }, id: { S: '1' } } })).toBeUndefined();
    expect(changeRecord({ ...base, oldImage: undefined, newImage: undefined })).toBeUndefined();
  });

  test('sets compare without order; creation time is whole epoch seconds', () => {
    const r = changeRecord({ ...base, oldImage: { id: { S: '1' }, s: { SS: ['a', 'b'] } }, newImage: { id: { S: '1' }, s: { SS: ['b', 'a'] } } });
    expect(r).toBeUndefined();
    const insert = changeRecord({ ...base, oldImage: undefined, newImage: { id: { S: '1' } } });
    expect(insert?.dynamodb?.ApproximateCreationDateTime).toBe(Math.floor(at.getTime() / 1000));
  });

  test('SizeBytes follows the item-size rules over keys and images', () => {
    // key "id"+"1" = 3 bytes, counted in Keys and in NewImage
    const r = changeRecord({ ...base, oldImage: undefined, newImage: { id: { S: '1' } } });
    expect(r?.dynamodb?.SizeBytes).toBe(6);
  });
});
