/**
 * Stands in for `mnemonist/lru-cache` in the Lambda bundles only (an esbuild alias in
 * HOUSE_BUNDLING; tests and `npm run dev` keep the real module).
 *
 * Why: the DynamoDB client's endpoint-discovery cache (`@aws-sdk/endpoint-cache`) is built on
 * mnemonist's LRU cache, which brings mnemonist's typed-array helpers and `obliterator` (~7 KB
 * minified) into every bundle with a DynamoDB client — the command processor's is at the 350 KB
 * budget. Endpoint discovery is off for these clients, so the cache is created and never filled;
 * this is the same least-recently-used cache on a Map (the operations the SDK calls: get, peek,
 * set, has, clear), tested against mnemonist's in test/unit/bundling/lru-cache.test.ts.
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('LRUCache: capacity should be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, without changing the order. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores the value as the most recently used, dropping the least recently used past capacity. */
  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
