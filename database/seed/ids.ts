import { createHash } from 'node:crypto';

/** Namespace of the demo data's name-based uuids (a random v4, fixed once). */
const SEED_NAMESPACE = '6f1c2a4e-8b3d-4c5e-9a7f-0d2e4b6c8a1f';

const namespaceBytes = Buffer.from(SEED_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * An RFC 4122 version-5 uuid (SHA-1 of namespace + name): the same parts always give the same id,
 * so the demo data's ids are stable across runs and machines.
 */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the `kind` entity identified by `parts` in the data set generated from `seed`. */
export function seededId(seed: number, kind: string, ...parts: Array<string | number>): string {
  return uuidV5([String(seed), kind, ...parts.map(String)].join(':'));
}

/** The id of the tenant at `index` (0-based) of the data set generated from `seed`. */
export function tenantIdFor(seed: number, index: number): string {
  return seededId(seed, 'tenant', index);
}

/** Catalog agents depend on their slug only, so their ids are the same whatever the seed. */
export function agentIdFor(slug: string): string {
  return uuidV5(`agent:${slug}`);
}
