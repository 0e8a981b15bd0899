/** Turns a failed Redis call into the StoreUnavailableError the HTTP handler answers 503 for. */
import { StoreUnavailableError } from '../store/index.ts';

/** Awaits a Redis call; a failure becomes a StoreUnavailableError that says what could not be done. */
export async function guard<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`Redis is unavailable (${what}: ${reason}); retry shortly.`, {
      cause: error,
    });
  }
}
