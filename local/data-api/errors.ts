/**
 * An error the local Data API answers with, in the service's wire shape: the HTTP status of the
 * exception in the Data API model, `x-amzn-ErrorType: <name>` and `{ "message": … }`, so the real
 * SDK raises the same exception class it would raise against Aurora.
 */
export class DataApiError extends Error {
  constructor(
    readonly type: DataApiErrorType,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.type];
  }
}

/** HTTP status of each exception of the rds-data service model (2018-08-01). */
const STATUS = {
  BadRequestException: 400,
  DatabaseErrorException: 400,
  StatementTimeoutException: 400,
  SecretsErrorException: 400,
  UnsupportedResultException: 400,
  InvalidSecretException: 400,
  NotFoundException: 404,
  TransactionNotFoundException: 404,
  DatabaseNotFoundException: 404,
  UnknownOperationException: 404,
  InternalServerErrorException: 500,
  ServiceUnavailableError: 503,
} as const;

export type DataApiErrorType = keyof typeof STATUS;

/** PostgreSQL error fields, as both pg and PGlite expose them. */
interface PgErrorLike {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

/**
 * A SQL failure as Aurora's Data API reports it (Serverless v2 and provisioned clusters answer
 * DatabaseErrorException; v1 answered BadRequestException): the PostgreSQL message, its detail and
 * hint, and the SQLState at the end, which is what callers classify on.
 */
export function fromPgError(error: unknown): DataApiError {
  const e = (error ?? {}) as PgErrorLike;
  if (!e.code) return new DataApiError('InternalServerErrorException', 'Internal error');
  if (e.code === '57014') return new DataApiError('StatementTimeoutException', `ERROR: ${e.message}; SQLState: ${e.code}`);
  const parts = [`ERROR: ${e.message ?? 'unknown error'}`];
  if (e.detail) parts.push(`  Detail: ${e.detail}`);
  if (e.hint) parts.push(`  Hint: ${e.hint}`);
  if (e.position) parts.push(`  Position: ${e.position}`);
  return new DataApiError('DatabaseErrorException', `${parts.join('\n')}; SQLState: ${e.code}`);
}
