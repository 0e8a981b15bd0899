/**
 * stdio framing, runtime-neutral: one JSON-RPC message per line, UTF-8, newline-delimited. The Node
 * adapters in `node/` feed bytes in and write the encoded lines out.
 */
import { type JsonRpcMessage, messageText, type RequestId } from '../protocol/index.ts';

/** The default largest frame accepted, in bytes (4 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;
/** How many characters of an oversize frame are kept to read its id from. */
const HEAD_CHARS = 1024;

/** Options of a LineDecoder. */
export interface LineDecoderOptions {
  /** The largest frame accepted, in bytes, not counting the newline (default 4 MiB). */
  maxFrameBytes?: number;
  /**
   * Called once for each frame longer than the limit, with the frame's first characters (up to
   * 1,024) so that its id can be read (`readFrameHead`); the rest of the frame is skipped.
   */
  onOversize?: (limit: number, head: string) => void;
}

/**
 * Splits a byte stream into newline-delimited UTF-8 frames. Each byte is looked at once; a frame
 * over the size limit is reported once and skipped to its newline without being kept in memory.
 */
export class LineDecoder {
  readonly #maxFrameBytes: number;
  readonly #onOversize: ((limit: number, head: string) => void) | undefined;
  readonly #decoder = new TextDecoder();
  #parts: string[] = [];
  #partBytes = 0;
  #skipping = false;

  constructor(options: LineDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max <= 0) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${max}.`);
    }
    this.#maxFrameBytes = max;
    this.#onOversize = options.onOversize;
  }

  /** The largest frame accepted, in bytes. */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): string[] {
    const frames: string[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.#take(chunk, start, end);
      if (newline === -1) break;
      this.#finishLine(frames);
      start = newline + 1;
    }
    return frames;
  }

  /** Ends the stream: returns the last frame if it had no newline after it. */
  flush(): string[] {
    const frames: string[] = [];
    this.#finishLine(frames);
    return frames;
  }

  /** Adds bytes [start, end) of the current line, or drops them while skipping an oversize frame. */
  #take(chunk: Uint8Array, start: number, end: number): void {
    if (this.#skipping || start === end) return;
    const size = end - start;
    if (this.#partBytes + size > this.#maxFrameBytes) {
      this.#skipping = true;
      const head = this.#onOversize === undefined ? '' : this.#head(chunk, start, end);
      this.#decoder.decode(); // drop any partial character
      this.#reset();
      this.#onOversize?.(this.#maxFrameBytes, head);
      return;
    }
    this.#partBytes += size;
    const text = this.#decoder.decode(chunk.subarray(start, end), { stream: true });
    if (text.length > 0) this.#parts.push(text);
  }

  /** The first characters of the line being dropped: what was kept of it, then this chunk's bytes. */
  #head(chunk: Uint8Array, start: number, end: number): string {
    let head = '';
    for (const part of this.#parts) {
      head += part;
      if (head.length >= HEAD_CHARS) return head.slice(0, HEAD_CHARS);
    }
    const more = chunk.subarray(start, Math.min(end, start + HEAD_CHARS - head.length));
    return head + new TextDecoder().decode(more);
  }

  #finishLine(frames: string[]): void {
    if (this.#skipping) {
      this.#skipping = false;
      return;
    }
    if (this.#partBytes === 0) return;
    const tail = this.#decoder.decode();
    if (tail.length > 0) this.#parts.push(tail);
    let line = this.#parts.length === 1 ? this.#parts[0] : this.#parts.join('');
    this.#reset();
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length > 0) frames.push(line);
  }

  #reset(): void {
    this.#parts = [];
    this.#partBytes = 0;
  }
}

/** Encodes one message (or batch) as a frame: its JSON text and a newline. */
export function encodeMessage(message: JsonRpcMessage | JsonRpcMessage[]): string {
  return messageText(message) + '\n';
}

/** The text of the error sent back for a frame over the limit. */
export function oversizeFrameMessage(limit: number, optionHint: string): string {
  return `Message dropped: it is larger than the ${limit}-byte frame limit; send a smaller message or raise ${optionHint}.`;
}

/** What the first characters of a frame say about it: its id and whether it is a request or an answer. */
export interface FrameHead {
  /** The top-level `id`. */
  id: RequestId;
  /** `request` when a top-level `method` was seen, `response` when `result` or `error` was. */
  kind: 'request' | 'response';
}

/**
 * Reads the top-level `id` of a frame from its first characters (an oversize frame is not parsed):
 * undefined when the id or the kind of message is not in `head`.
 */
export function readFrameHead(head: string): FrameHead | undefined {
  let depth = 0;
  let id: RequestId | undefined;
  let kind: FrameHead['kind'] | undefined;
  let i = 0;
  while (i < head.length) {
    const c = head.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const close = stringEnd(head, i);
      if (close === -1) break;
      if (depth === 1 && /^\s*:/.test(head.slice(close + 1, close + 40))) {
        const key = head.slice(i + 1, close);
        const colon = head.indexOf(':', close + 1);
        if (key === 'id') {
          const value = /^\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*[,}]/.exec(head.slice(colon + 1, colon + 300));
          if (value) {
            const text = value[1];
            id = text.startsWith('"') ? (JSON.parse(text) as string) : Number(text);
            if (typeof id === 'number' && !Number.isSafeInteger(id)) return undefined;
          }
        } else if (key === 'method') kind = 'request';
        else if ((key === 'result' || key === 'error') && kind === undefined) kind = 'response';
        if (id !== undefined && kind !== undefined) return { id, kind };
      }
      i = close + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
    i++;
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `start`, or -1 if `text` ends first. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i;
    else i++;
  }
  return -1;
}
