/**
 * Typed application errors. Every error a handler can raise is one of these; `http/respond.ts`
 * maps them, in one place, to the project's JSON error shape.
 */
export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Whether `message` may be shown to the caller (never for 5xx: internals stay in the logs). */
  readonly expose: boolean = true;

  constructor(
    message: string,
    readonly details?: ErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'VALIDATION_ERROR';
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'BAD_REQUEST';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'CONFLICT';
}

/** A budget of the rate limits is spent (lambda/shared/http/rate-limit.ts); `Retry-After` says when it refills. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}

/** A failure of ours: the caller only ever sees a generic message and the request id. */
export class InternalError extends AppError {
  readonly status = 500;
  readonly code = 'INTERNAL_ERROR';
  override readonly expose = false;
}

/** A database failure that is not the caller's fault; `sqlState` is kept for logs and mapping. */
export class DatabaseError extends InternalError {
  constructor(
    message: string,
    readonly sqlState?: string,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}
