/**
 * The `text/event-stream` parser (WHATWG HTML, "Parsing an event stream"): lines end with CRLF, LF
 * or CR, even across chunks; `data` lines join with LF; an event is dispatched at a blank line when
 * it had at least one `data` line; `id` (without NUL) and `retry` (digits only) are reported; a
 * leading BOM and comments are skipped. What is held between chunks (the unfinished line and the
 * event's data) is bounded, so a stream that never ends its event cannot grow without limit.
 */

const LF = 10;
const SPACE = 32;
const COLON = 58;

/** One dispatched event. */
export interface SseEvent {
  /** The `id` field of its block, if it had one. */
  id: string | undefined;
  /** The `event` field, if it had a non-empty one. */
  event: string | undefined;
  /** The `data` lines, joined with LF (possibly empty). */
  data: string;
}

/** What the parser reports. */
export interface SseParserHandlers {
  /** A complete event. */
  onEvent: (event: SseEvent) => void;
  /** The `id` of an event block, called before its event; an empty string clears the last event id. */
  onId?: (id: string) => void;
  /** The server set the reconnection delay, in milliseconds. */
  onRetry?: (ms: number) => void;
}

/** An event (with the line still arriving) past the parser's size limit. */
export class SseParseError extends Error {
  /** Always `max-buffer-size-exceeded`. */
  readonly type = 'max-buffer-size-exceeded';

  constructor(limit: number) {
    super(`An SSE event exceeded the ${limit}-character limit; the stream was abandoned.`);
    this.name = 'SseParseError';
  }
}

/** A push parser: `feed` it decoded text in any slices; it throws SseParseError past `maxChars`. */
export class SseParser {
  readonly #handlers: SseParserHandlers;
  readonly #maxChars: number;
  /** The unfinished line, in the slices it arrived in (joined once its end comes). */
  #pending: string[] = [];
  #pendingChars = 0;
  #started = false;
  /** The previous slice ended with CR: an LF that starts the next one belongs to it. */
  #skipLf = false;
  #id: string | undefined;
  #event: string | undefined;
  #data = '';
  #dataLines = 0;

  constructor(handlers: SseParserHandlers, maxChars: number) {
    this.#handlers = handlers;
    this.#maxChars = maxChars;
  }

  /** Parses the next slice of the stream. */
  feed(chunk: string): void {
    let text = chunk;
    if (text === '') return;
    if (!this.#started) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.#skipLf) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (cr !== -1 || lf !== -1) {
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      let line = text.slice(start, end);
      if (this.#pending.length > 0) {
        this.#pending.push(line);
        line = this.#pending.join('');
        this.#pending = [];
        this.#pendingChars = 0;
      }
      this.#line(line);
      start = end + 1;
      if (end === cr) {
        if (start === text.length) this.#skipLf = true;
        else if (text.charCodeAt(start) === LF) start++;
      }
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      this.#check();
    }
    if (start < text.length) {
      this.#pending.push(start === 0 ? text : text.slice(start));
      this.#pendingChars += text.length - start;
      this.#check();
    }
  }

  #check(): void {
    if (this.#pendingChars + this.#data.length > this.#maxChars) {
      this.#pending = [];
      this.#pendingChars = 0;
      this.#data = '';
      throw new SseParseError(this.#maxChars);
    }
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === COLON) return; // a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value =
      colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    switch (field) {
      case 'data':
        this.#data = this.#dataLines === 0 ? value : `${this.#data}\n${value}`;
        this.#dataLines++;
        break;
      case 'event':
        this.#event = value || undefined;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#handlers.onRetry?.(Number.parseInt(value, 10));
        break;
      default:
      // unknown fields are ignored
    }
  }

  #dispatch(): void {
    const { onEvent, onId } = this.#handlers;
    if (this.#id !== undefined) onId?.(this.#id);
    if (this.#dataLines > 0) onEvent({ id: this.#id, event: this.#event, data: this.#data });
    this.#id = undefined;
    this.#event = undefined;
    this.#data = '';
    this.#dataLines = 0;
  }
}
