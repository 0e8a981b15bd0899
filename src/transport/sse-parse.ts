/**
 * Reading a `text/event-stream` body, and turning event data into JSON-RPC messages. Shared by the
 * Streamable HTTP and HTTP+SSE client transports.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** What a reader of an SSE body is told. */
export interface SseHandlers {
  /** A complete event (data may be empty, e.g. a priming event). */
  onEvent: (event: EventSourceMessage) => void;
  /** The `id` of an event block, called before its event; an empty string clears the last event id. */
  onId?: (id: string) => void;
  /** The server set the reconnection delay, in milliseconds. */
  onRetry?: (ms: number) => void;
}

/** The largest event accepted by default, in characters (16 Mi). */
export const DEFAULT_MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Reads an SSE body to its end, calling the handlers for each event. Resolves when the server ends
 * the stream; rejects when reading fails (network error, abort) or an event exceeds the size limit.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  handlers: SseHandlers,
  maxEventChars = DEFAULT_MAX_SSE_EVENT_CHARS,
): Promise<void> {
  let failure: Error | undefined;
  const parser = createParser({
    onEvent: handlers.onEvent,
    onId: handlers.onId,
    onRetry: handlers.onRetry,
    onError: (error) => {
      // Ignored fields and bad retry values are not failures; an event past the size limit is.
      if (error.type === 'max-buffer-size-exceeded') failure ??= error;
    },
    maxBufferSize: maxEventChars,
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (failure && isFatal(failure)) throw failure;
    }
    const rest = decoder.decode();
    if (rest) parser.feed(rest);
    if (failure) throw failure;
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

function isFatal(error: Error): boolean {
  return (error as { type?: string }).type === 'max-buffer-size-exceeded';
}

/** Whether a Content-Type header names the given media type (parameters ignored). */
export function hasMediaType(contentType: string | null, mediaType: string): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0]?.trim().toLowerCase() === mediaType;
}

/**
 * Parses the data of a message event (or a JSON body) into the messages it holds: one object, or
 * each element of a batch. Throws a SyntaxError for text that is not JSON.
 */
export function parseMessages(text: string): unknown[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [value];
}
