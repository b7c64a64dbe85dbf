/**
 * Domain errors. The HTTP layer maps each to its status; anything else is a 500 whose details stay in the log.
 */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_input', message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'sign in required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'not allowed') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(message = 'too many attempts, try again later') {
    super(429, 'rate_limited', message);
  }
}
