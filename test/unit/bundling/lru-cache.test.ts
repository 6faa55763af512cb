import MnemonistLRU from 'mnemonist/lru-cache';
import LRUCache from '../../../lib/bundling/lru-cache';

describe('the bundles’ LRU cache (lib/bundling/lru-cache.ts)', () => {
  test('answers every operation the SDK’s endpoint cache uses as mnemonist’s does, over a random sequence', () => {
    const ours = new LRUCache<string, number>(5);
    const theirs = new MnemonistLRU<string, number>(5);
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 5_000; i++) {
      const key = `k${next(9)}`;
      switch (next(5)) {
        case 0:
          ours.set(key, i);
          theirs.set(key, i);
          break;
        case 1:
          expect(ours.get(key)).toBe(theirs.get(key));
          break;
        case 2:
          expect(ours.peek(key)).toBe(theirs.peek(key));
          break;
        case 3:
          expect(ours.has(key)).toBe(theirs.has(key));
          break;
        default:
          if (next(50) === 0) {
            ours.clear();
            theirs.clear();
          }
      }
      expect(ours.size).toBe(theirs.size);
    }
  });

  test('refuses a capacity that is not a positive integer', () => {
    expect(() => new LRUCache(0)).toThrow('capacity');
  });
});
