/** Reading and checking a POST body: Accept and Content-Type, size limit, UTF-8, JSON, JSON-RPC shape. */
import {
  classify,
  concatBytes,
  ErrorCode,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type RequestId,
} from '../protocol/index.ts';
import { providedBody } from './beside.ts';
import { errorReply, TRANSPORT_ERROR } from './reply.ts';

/** A POST body that passed every check. */
export interface ParsedBody {
  /** The parsed JSON value, as it will be given to the peer. */
  value: unknown;
  /** Whether the body was an array (a JSON-RPC batch). */
  batch: boolean;
  /** The messages, in order. */
  messages: JsonRpcMessage[];
  /** The requests among them. */
  requests: JsonRpcRequest[];
}

/** Whether a media type header names JSON (`application/json`, any parameters). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const essence = value.split(';', 1)[0]?.trim().toLowerCase();
  return essence === 'application/json';
}

/**
 * Whether an Accept header lists a media type (lower case, without parameters), by its name: each
 * comma-separated entry is compared without its parameters and surrounding white space, ignoring
 * case. Scanned in place: only an entry of the right length is copied.
 */
export function accepts(header: string | null, type: string): boolean {
  if (header === null) return false;
  const length = header.length;
  let start = 0;
  while (start <= length) {
    let comma = header.indexOf(',', start);
    if (comma < 0) comma = length;
    let end = header.indexOf(';', start);
    if (end < 0 || end > comma) end = comma;
    let from = start;
    while (from < end && isSpace(header.charCodeAt(from))) from++;
    while (end > from && isSpace(header.charCodeAt(end - 1))) end--;
    if (end - from === type.length) {
      const entry = header.slice(from, end);
      if (entry === type || entry.toLowerCase() === type) return true;
    }
    start = comma + 1;
  }
  return false;
}

/** Space, tab, or a line break: what `trim` would drop around an Accept entry. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function tooLarge(limit: number): Response {
  return errorReply(
    413,
    ErrorCode.InvalidRequest,
    `Request body larger than ${limit} bytes; send smaller messages or raise the maxBodyBytes option.`,
  );
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** How a body is read: its size limit and its deadlines. */
export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Longest silence while the body arrives, ms. */
  bodyIdleMs: number;
  /** Longest time the whole body may take to arrive, ms. */
  bodyTimeoutMs: number;
}

function tooSlow(limits: BodyLimits, total: boolean): Response {
  const what = total
    ? `did not arrive in full within ${limits.bodyTimeoutMs} ms (bodyTimeoutMs)`
    : `stalled for ${limits.bodyIdleMs} ms (bodyIdleMs)`;
  return errorReply(
    408,
    ErrorCode.InvalidRequest,
    `Request Timeout: the request body ${what}; send the whole body at once, with a Content-Length that matches it.`,
    { connection: 'close' },
  );
}

/**
 * Reads the body as UTF-8 text, refusing more than `maxBodyBytes`: 413, 400 when it is not UTF-8 or
 * cannot be read, 408 when it stalls past `bodyIdleMs` or takes longer than `bodyTimeoutMs`. A body
 * its adapter handed over (`provideBody`) is taken as it is, at once, without a promise; one still
 * arriving is watched by a single timer.
 */
export function readBodyText(
  request: Request,
  limits: BodyLimits,
): string | Response | Promise<string | Response> {
  const provided = providedBody(request);
  if (provided === undefined) return readBodyStream(request, limits);
  return provided.byteLength > limits.maxBodyBytes ? tooLarge(limits.maxBodyBytes) : decodeUtf8(provided);
}

/** Reads a body that is still arriving (see `readBodyText`). */
async function readBodyStream(request: Request, limits: BodyLimits): Promise<string | Response> {
  const limit = limits.maxBodyBytes;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const watch = new BodyDeadline(reader, limits.bodyIdleMs, limits.bodyTimeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (watch.expired !== undefined) return tooSlow(limits, watch.expired === 'total');
      if (done) break;
      watch.last = Date.now();
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (watch.expired !== undefined) return tooSlow(limits, watch.expired === 'total');
    return errorReply(
      400,
      ErrorCode.ParseError,
      `Could not read the request body: ${(error as Error).message}`,
    );
  } finally {
    watch.stop();
  }
  return decodeUtf8(chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks, size));
}

/**
 * The deadlines of one body read: one timer, armed for whichever deadline is nearer and re-armed
 * only when it fires early (the reader stamps `last` on each chunk); on expiry it cancels the read.
 */
class BodyDeadline {
  last: number;
  expired: 'idle' | 'total' | undefined;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #idleMs: number;
  readonly #end: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number, totalMs: number) {
    this.#reader = reader;
    this.#idleMs = idleMs;
    this.last = Date.now();
    this.#end = this.last + totalMs;
    this.#arm(Math.min(idleMs, totalMs));
  }

  #arm(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.#timer = setTimeout(this.#check, Math.max(0, ms));
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    const idleLeft = this.last + this.#idleMs - now;
    const totalLeft = this.#end - now;
    if (idleLeft > 0 && totalLeft > 0) {
      this.#arm(Math.min(idleLeft, totalLeft));
      return;
    }
    this.expired = totalLeft <= 0 ? 'total' : 'idle';
    this.#reader.cancel().catch(() => {});
  };

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function decodeUtf8(bytes: Uint8Array): string | Response {
  try {
    return UTF8.decode(bytes);
  } catch {
    return errorReply(400, ErrorCode.ParseError, 'Parse error: the request body is not valid UTF-8.');
  }
}

/** Parses body text into JSON-RPC messages; answers 400 (-32700 or -32600) when it is not that. */
export function parseBody(text: string): ParsedBody | Response {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') {
      return errorReply(
        400,
        ErrorCode.ParseError,
        'Parse error: the request body is empty; send a JSON-RPC message.',
      );
    }
    return errorReply(400, ErrorCode.ParseError, `Parse error: ${(error as Error).message}`);
  }
  const batch = Array.isArray(value);
  const items: unknown[] = batch ? (value as unknown[]) : [value];
  if (items.length === 0) {
    return errorReply(400, ErrorCode.InvalidRequest, 'Invalid Request: an empty batch holds no message.');
  }
  const messages: JsonRpcMessage[] = [];
  const requests: JsonRpcRequest[] = [];
  for (const item of items) {
    const c = classify(item);
    if (c.kind === 'invalid')
      return errorReply(400, ErrorCode.InvalidRequest, `Invalid Request: ${c.reason}`, undefined, c.id);
    messages.push(c.message);
    if (c.kind === 'request') requests.push(c.message);
  }
  return { value, batch, messages, requests };
}

/** The first request id that occurs twice in a list, if any. */
export function duplicateId(requests: readonly JsonRpcRequest[]): RequestId | undefined {
  if (requests.length < 2) return undefined;
  const seen = new Set<RequestId>();
  for (const r of requests) {
    if (seen.has(r.id)) return r.id;
    seen.add(r.id);
  }
  return undefined;
}

/**
 * Checks Accept and Content-Type, then reads and parses the body; a Response means refused. A body
 * its adapter handed over (`provideBody`) is read at once, without a promise.
 */
export function readPost(
  request: Request,
  limits: BodyLimits,
): ParsedBody | Response | Promise<ParsedBody | Response> {
  const accept = request.headers.get('accept');
  if (!accepts(accept, 'application/json') || !accepts(accept, 'text/event-stream')) {
    return errorReply(
      406,
      TRANSPORT_ERROR,
      'Not Acceptable: the Accept header must list both application/json and text/event-stream.',
    );
  }
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return errorReply(
      415,
      TRANSPORT_ERROR,
      'Unsupported Media Type: send the body as Content-Type: application/json.',
    );
  }
  const text = readBodyText(request, limits);
  return text instanceof Promise ? text.then(parseText) : parseText(text);
}

function parseText(text: string | Response): ParsedBody | Response {
  return text instanceof Response ? text : parseBody(text);
}
