/**
 * stdio framing, runtime-neutral: one JSON-RPC message per line, UTF-8, newline-delimited. The Node
 * adapters in `node/` feed bytes in and write the encoded lines out.
 */
import { type JsonRpcMessage, messageText } from '../protocol/index.ts';

/** The default largest frame accepted, in bytes (4 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Options of a LineDecoder. */
export interface LineDecoderOptions {
  /** The largest frame accepted, in bytes, not counting the newline (default 4 MiB). */
  maxFrameBytes?: number;
  /** Called once for each frame longer than the limit; the frame is skipped. */
  onOversize?: (limit: number) => void;
}

/**
 * Splits a byte stream into newline-delimited UTF-8 frames. Each byte is looked at once; a frame
 * over the size limit is reported once and skipped to its newline without being kept in memory.
 */
export class LineDecoder {
  readonly #maxFrameBytes: number;
  readonly #onOversize: ((limit: number) => void) | undefined;
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
      this.#decoder.decode(); // drop any partial character
      this.#reset();
      this.#onOversize?.(this.#maxFrameBytes);
      return;
    }
    this.#partBytes += size;
    const text = this.#decoder.decode(chunk.subarray(start, end), { stream: true });
    if (text.length > 0) this.#parts.push(text);
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
