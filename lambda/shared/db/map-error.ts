import { ConflictError, DatabaseError, ServiceUnavailableError, ValidationError, AppError } from '../errors';

/** The Data API reports PostgreSQL errors as "...; SQLState: 23505" in the message. */
export function sqlStateOf(message: string): string | undefined {
  return /SQLState:\s*([0-9A-Z]{5})/.exec(message)?.[1];
}

/**
 * Maps a Data API failure to a typed error. Callers see a meaning ("already exists"), never the
 * SQL, the statement or the driver's message; those stay on the error for the logs.
 */
export function mapDataApiError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = (error as { name?: string })?.name ?? 'Error';
  const message = (error as { message?: string })?.message ?? String(error);
  const sqlState = sqlStateOf(message);

  if (name === 'DatabaseResumingException' || name === 'DatabaseUnavailableException' || name === 'ServiceUnavailableError') {
    return new ServiceUnavailableError('The database is starting up; try again in a few seconds.', 10, { cause: error });
  }
  switch (sqlState) {
    case '23505':
      return new ConflictError('A record with the same unique value already exists.', undefined, { cause: error });
    case '23503':
      return new ConflictError('The record refers to, or is referred to by, another record.', undefined, { cause: error });
    case '22P02': // invalid text representation (e.g. a malformed uuid)
    case '22007': // invalid datetime format
    case '22008': // datetime out of range
    case '22003': // numeric out of range
      return new ValidationError('A parameter has an invalid value.', undefined, { cause: error });
    default:
      return new DatabaseError(`${name}: ${message}`, sqlState, { cause: error });
  }
}
