/**
 * Reading a `text/event-stream` body, and turning event data into JSON-RPC messages. Shared by the
 * Streamable HTTP and HTTP+SSE client transports.
 */
import { SseParser, type SseParserHandlers } from './sse-parser.ts';

/** What a reader of an SSE body is told. */
export type SseHandlers = SseParserHandlers;

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
  const parser = new SseParser(handlers, maxEventChars);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) parser.feed(rest);
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
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
