/**
 * Lambda event-filtering patterns (the EventBridge pattern language) over a stream record. Only
 * exact-value arrays and nested objects are implemented; any operator ({prefix}, {anything-but},
 * {numeric}, {exists}, …) is refused when the filter is compiled, so a pattern is never matched
 * differently than the service would match it.
 */

export type FilterValue = string | number | boolean | null;
export type FilterPattern = { readonly [key: string]: FilterPattern | readonly FilterValue[] };

/** Compiles the mapping's filters into one predicate: a record passes if any pattern matches. */
export function compileFilters(patterns: ReadonlyArray<Record<string, unknown>> | undefined): (record: unknown) => boolean {
  if (!patterns || patterns.length === 0) return () => true;
  // Declarations type patterns loosely (plain data); they are checked here, once, at start.
  patterns.forEach((pattern, i) => {
    validate(pattern, `filters[${i}]`);
    // "DynamoDB event source mappings only support filtering on the dynamodb key" (Lambda developer
    // guide, "Filtering event sources for DynamoDB"): the service refuses the mapping otherwise.
    const outside = Object.keys(pattern).filter((key) => key !== 'dynamodb');
    if (outside.length > 0) throw new Error(`filters[${i}]: a DynamoDB stream filter may only name the dynamodb key, not ${outside.join(', ')}`);
  });
  const valid = patterns as readonly FilterPattern[];
  return (record) => valid.some((pattern) => matches(pattern, record));
}

function validate(pattern: unknown, path: string): void {
  if (!isObject(pattern)) throw new Error(`${path}: a filter pattern must be an object`);
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new Error(`${path}: an empty pattern object is not a valid filter`);
  for (const key of keys) {
    const value = (pattern as Record<string, unknown>)[key];
    const at = `${path}.${key}`;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new Error(`${at}: an empty array matches nothing and the service refuses it`);
      for (const candidate of value) {
        if (candidate !== null && typeof candidate === 'object') {
          throw new Error(`${at}: filter operator ${JSON.stringify(candidate)} is not implemented by the local event source mapping`);
        }
      }
    } else if (isObject(value)) {
      validate(value, at);
    } else {
      throw new Error(`${at}: pattern leaves must be arrays of values, got ${JSON.stringify(value)}`);
    }
  }
}

function matches(pattern: FilterPattern, value: unknown): boolean {
  if (!isObject(value)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown>)[key];
    if (actual === undefined) return false;
    if (!Array.isArray(expected)) return matches(expected as FilterPattern, actual);
    // An array in the event matches when any of its elements does.
    const candidates = Array.isArray(actual) ? actual : [actual];
    // Types must agree: the string "5" does not match the number 5.
    return candidates.some((c) => (expected as readonly FilterValue[]).some((e) => e === c));
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
