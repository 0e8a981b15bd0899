/** Opaque cursors for paginated lists (pagination page: cursors are opaque; a bad one is -32602). */
import { ErrorCode, McpError } from '../protocol/index.ts';

const PREFIX = 'mcpkit:';

/** Encodes a list offset as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return btoa(`${PREFIX}${offset}`);
}

/** Decodes a cursor into an offset; throws -32602 for anything this server did not issue. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === null) return 0;
  if (typeof cursor === 'string') {
    try {
      const text = atob(cursor);
      if (text.startsWith(PREFIX)) {
        const n = Number(text.slice(PREFIX.length));
        if (Number.isSafeInteger(n) && n >= 0) return n;
      }
    } catch {
      // fall through to the error below
    }
  }
  throw new McpError(
    ErrorCode.InvalidParams,
    'Invalid cursor: pass back the nextCursor of a previous page unchanged, or omit it for the first page.',
  );
}

/** Cuts one page out of a list. */
export function paginate<T>(
  items: readonly T[],
  cursor: unknown,
  pageSize: number,
): { page: T[]; nextCursor?: string } {
  const offset = decodeCursor(cursor);
  if (offset > items.length) {
    throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor: it points past the end of the list.');
  }
  if (offset === 0 && items.length <= pageSize) return { page: items as T[] };
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  return end < items.length ? { page, nextCursor: encodeCursor(end) } : { page };
}
