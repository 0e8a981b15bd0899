/** The error stores and buses throw when their backend cannot be reached. */

/**
 * A store or bus could not do its work because its backend (Redis, a database) is unreachable.
 * The HTTP handler answers 503 with its message; the request can be retried once the backend is back.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
