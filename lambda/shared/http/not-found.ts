import { NotFoundError } from '../errors';

/** The value, or a 404 naming what was not found. */
export function orNotFound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFoundError(`${what} not found`);
  return value;
}
