import { randomBytes } from 'node:crypto';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';
import { ACCOUNT, REGION } from '../config';

/** An item in the wire format (what dynalite answers, and what Lambda stream events carry: B as base64). */
export type Item = Record<string, AttributeValue>;
export type StreamViewType = NonNullable<StreamRecord['StreamViewType']>;

/**
 * One table's change log with a single shard, as DynamoDB Streams would hold it. Records are kept
 * for the life of the process (the service trims after 24 h, which no local session reaches).
 */
export class LocalStream {
  readonly streamArn: string;
  readonly shardId: string;
  private readonly log: DynamoDBRecord[] = [];
  private readonly listeners = new Set<(record: DynamoDBRecord) => void>();

  constructor(
    readonly tableName: string,
    readonly viewType: StreamViewType,
    createdAt = new Date(),
  ) {
    // The service labels a stream with its creation time, ISO 8601 without the zone designator.
    this.streamArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}/stream/${createdAt.toISOString().replace(/Z$/, '')}`;
    this.shardId = `shardId-${String(createdAt.getTime()).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
  }

  /** Every record so far, oldest first. */
  records(): DynamoDBRecord[] {
    return [...this.log];
  }

  get length(): number {
    return this.log.length;
  }

  at(index: number): DynamoDBRecord | undefined {
    return this.log[index];
  }

  /** Calls `listener` after each append; returns the unsubscribe function. */
  subscribe(listener: (record: DynamoDBRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(record: DynamoDBRecord): void {
    this.log.push(record);
    for (const listener of this.listeners) listener(record);
  }
}

/** Sequence numbers are unique and increasing across all streams, as in one region's service. */
export class SequenceCounter {
  private next = 1n;
  take(): string {
    // 21 digits like the service's; zero padding keeps string order equal to numeric order.
    return (this.next++).toString().padStart(21, '0');
  }
}

export interface Change {
  stream: LocalStream;
  keyNames: readonly string[];
  oldImage: Item | undefined;
  newImage: Item | undefined;
  sequenceNumber: string;
  at: Date;
}

/**
 * The stream record for one item write, or undefined when the item did not change: the service
 * writes no record for a put or update that leaves an item as it was, nor for a failed write.
 */
export function changeRecord(change: Change): DynamoDBRecord | undefined {
  const { oldImage, newImage, stream } = change;
  if (!oldImage && !newImage) return undefined;
  if (oldImage && newImage && canonical(oldImage) === canonical(newImage)) return undefined;

  const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
  const keys = pick((newImage ?? oldImage)!, change.keyNames);
  const withNew = stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const withOld = stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const dynamodb: StreamRecord = {
    ApproximateCreationDateTime: Math.floor(change.at.getTime() / 1000),
    Keys: keys,
    ...(withNew && newImage ? { NewImage: newImage } : {}),
    ...(withOld && oldImage ? { OldImage: oldImage } : {}),
    SequenceNumber: change.sequenceNumber,
    SizeBytes: 0,
    StreamViewType: stream.viewType,
  };
  dynamodb.SizeBytes = itemSize(keys) + itemSize(dynamodb.NewImage ?? {}) + itemSize(dynamodb.OldImage ?? {});
  return {
    eventID: randomBytes(16).toString('hex'),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb,
    eventSourceARN: stream.streamArn,
  };
}

export function pick(item: Item, names: readonly string[]): Item {
  const out: Item = {};
  for (const name of names) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

/** A string equal for equal items: attribute order and set order carry no meaning in DynamoDB. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => {
        const sorted = (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v) ? [...(v as string[])].sort() : v;
        return `${JSON.stringify(k)}:${canonical(sorted)}`;
      });
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * DynamoDB's item-size rules (names and values in UTF-8 bytes, numbers ~1 byte per two significant
 * digits plus one, 3 bytes of overhead per list or map and 1 per element). The service's SizeBytes
 * also counts record overhead it does not document, so this is close, not identical.
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if (value.BS) return value.BS.reduce((n, b) => n + Buffer.from(b, 'base64').length, 0);
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + Buffer.byteLength(k) + 1 + valueSize(v), 0);
  return 0;
}

function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').split(/[eE]/)[0]!.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}
