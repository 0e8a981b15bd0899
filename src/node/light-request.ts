/**
 * A stand-in for a WHATWG Request, made from a node:http request whose body has already arrived
 * (or that has none): method, URL, headers and signal, read when asked for. Building a real Request
 * parses the URL again, copies every header into a Headers list and links a second AbortSignal,
 * which costs more than the rest of serving a small MCP call. Only handlers marked
 * PROVIDED_BODIES (mcpkit's own) are given one; application code that reaches it through
 * `MessageInfo.request` gets a real Request made from it (see `realRequest` in mcpkit/http).
 */
import type { IncomingMessage } from 'node:http';
import { CLIENT_ADDRESS, type DepartureWatch, REAL_REQUEST } from '../http/adapter.ts';

/** The headers of a node:http request, read as WHATWG Headers reads them (names case-insensitive, repeats joined). */
class LightHeaders {
  readonly #raw: string[];

  constructor(raw: string[]) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    const want = name.toLowerCase();
    const raw = this.#raw;
    let out: string | null = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const n = raw[i] as string;
      if (n.length !== want.length || n.toLowerCase() !== want) continue;
      const v = raw[i + 1] as string;
      out = out === null ? v : `${out}, ${v}`;
    }
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    const out: string[] = [];
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() === 'set-cookie') out.push(raw[i + 1] as string);
    }
    return out;
  }

  /** [name, value] pairs as Headers iterates them: lower-case names, sorted, repeats joined. */
  *entries(): IterableIterator<[string, string]> {
    const joined = new Map<string, string>();
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const n = (raw[i] as string).toLowerCase();
      if (n.charCodeAt(0) === 58) continue; // HTTP/2 pseudo-header
      const v = raw[i + 1] as string;
      const before = joined.get(n);
      joined.set(n, before === undefined ? v : `${before}, ${v}`);
    }
    for (const n of [...joined.keys()].sort()) yield [n, joined.get(n) as string];
  }

  *keys(): IterableIterator<string> {
    for (const [n] of this.entries()) yield n;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void): void {
    for (const [n, v] of this.entries()) callback(v, n, this as unknown as Headers);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** The stand-in itself. */
class LightRequest {
  readonly method: string;
  readonly url: string;
  readonly body = null;
  readonly bodyUsed = false;
  readonly #req: IncomingMessage;
  readonly #departure: DepartureWatch;
  #headers: LightHeaders | undefined;
  #real: Request | undefined;

  constructor(req: IncomingMessage, url: string, departure: DepartureWatch) {
    this.#req = req;
    this.method = req.method ?? 'GET';
    this.url = url;
    this.#departure = departure;
  }

  /** Aborts when the client goes away; made when first read. */
  get signal(): AbortSignal {
    return this.#departure.signal;
  }

  get headers(): Headers {
    this.#headers ??= new LightHeaders(this.#req.rawHeaders);
    return this.#headers as unknown as Headers;
  }

  /** The client's address, read from the socket only when asked. */
  get [CLIENT_ADDRESS](): string | undefined {
    return this.#req.socket.remoteAddress;
  }

  /** A real Request with the same method, URL, headers and signal (no body: it has been read). */
  [REAL_REQUEST](): Request {
    this.#real ??= new Request(this.url, {
      method: this.method,
      headers: [...(this.headers as unknown as LightHeaders)],
      signal: this.signal,
    });
    return this.#real;
  }
}

/** A Request stand-in for a node:http request whose body is not read through the Request. */
export function lightRequest(req: IncomingMessage, url: string, departure: DepartureWatch): Request {
  return new LightRequest(req, url, departure) as unknown as Request;
}
