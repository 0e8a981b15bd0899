/**
 * What a server adapter (the Node one in mcpkit/node) hands the handler beside a Request, and takes
 * back beside a Response, so that neither side builds what the other does not need: a body stream
 * for bytes that have already arrived, a linked AbortSignal, a body stream for a JSON text or an SSE
 * connection the adapter writes itself (that one is kept in `sse.ts`, beside `sseResponse`). Kept as symbol-keyed properties on the objects (weak maps
 * would cost the garbage collector on every request).
 */
const BODY = Symbol('mcpkit.body');
const SIGNAL = Symbol('mcpkit.signal');
const DEFER = Symbol('mcpkit.defer');
const JSON_TEXT = Symbol('mcpkit.jsonText');

/**
 * What mcpkit asks of the signal that a client went away: whether it has, and a listener for when it
 * does. An AbortSignal is one; an adapter may hand over a lighter watch (`provideDeparture`).
 */
export interface Departure {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A Departure that makes an AbortSignal when one is asked for (`requestSignal`). */
export interface DepartureWatch extends Departure {
  readonly signal: AbortSignal;
}

interface CarriedRequest {
  [BODY]?: Uint8Array;
  [SIGNAL]?: AbortSignal | DepartureWatch;
  [DEFER]?: true;
}

interface CarriedResponse {
  [JSON_TEXT]?: string;
  [JSON_FIELDS]?: Readonly<Record<string, string>>;
}

const JSON_FIELDS = Symbol('mcpkit.jsonFields');

/**
 * Marks a handler that takes what `provideBody` and `provideSignal` hand over: an adapter may call
 * it with a Request made without a body stream and without a signal (both cost), passing them beside.
 */
export const PROVIDED_BODIES: unique symbol = Symbol.for('mcpkit.http.providedBodies');

/**
 * The method a light stand-in for a Request (an adapter's) answers with a real Request made from
 * it; see `realRequest`.
 */
export const REAL_REQUEST: unique symbol = Symbol.for('mcpkit.http.realRequest');

/**
 * The Request to show application code (`MessageInfo.request`): an adapter's light stand-in turned
 * into a real Request, once; any other request as it is.
 */
export function realRequest(request: Request): Request {
  const make = (request as { [REAL_REQUEST]?: () => Request })[REAL_REQUEST];
  return make === undefined ? request : make.call(request);
}

/**
 * The key under which an adapter gives the address of the client a request came from: a property
 * (or a getter, read only when asked) on the Request. See `provideClientAddress`, `clientAddressOf`.
 */
export const CLIENT_ADDRESS: unique symbol = Symbol.for('mcpkit.http.clientAddress');

/** Gives the handler the network address of the client a request came from (an adapter's call). */
export function provideClientAddress(request: Request, address: string | undefined): void {
  (request as { [CLIENT_ADDRESS]?: string })[CLIENT_ADDRESS] = address;
}

/** The network address of the client a request came from, when its adapter gave it. */
export function clientAddressOf(request: Request): string | undefined {
  return (request as { [CLIENT_ADDRESS]?: string })[CLIENT_ADDRESS];
}

/** Gives the handler a request's whole body as bytes, for a Request made without a body stream. */
export function provideBody(request: Request, bytes: Uint8Array): void {
  (request as CarriedRequest)[BODY] = bytes;
}

/** The body given with `provideBody`, if any. */
export function providedBody(request: Request): Uint8Array | undefined {
  return (request as CarriedRequest)[BODY];
}

/** Gives the handler the signal that aborts when the client goes away, for a Request made without it. */
export function provideSignal(request: Request, signal: AbortSignal): void {
  (request as CarriedRequest)[SIGNAL] = signal;
}

/**
 * Gives the handler a watch on the client going away, for a Request made without a signal: an
 * AbortSignal costs an AbortController per request, and most requests never need one.
 */
export function provideDeparture(request: Request, watch: DepartureWatch): void {
  (request as CarriedRequest)[SIGNAL] = watch;
}

/** The signal that aborts when the client of this request goes away. */
export function requestSignal(request: Request): AbortSignal {
  const carried = (request as CarriedRequest)[SIGNAL];
  if (carried === undefined) return request.signal;
  return carried instanceof AbortSignal ? carried : carried.signal;
}

/** The client of this request going away, as cheaply as its adapter gave it. */
export function requestDeparture(request: Request): Departure {
  return (request as CarriedRequest)[SIGNAL] ?? request.signal;
}

/**
 * Declares that the caller of the handler with this request writes answers itself: a JSON answer
 * from `jsonBodyText`, an SSE answer from `sseConnectionOf`. Its answers then come without a body
 * stream, which costs more than the rest of an answer.
 */
export function deferBodies(request: Request): void {
  (request as CarriedRequest)[DEFER] = true;
}

/** Whether the caller writes answers itself (`deferBodies`). */
export function defersBodies(request: Request): boolean {
  return (request as CarriedRequest)[DEFER] === true;
}

/** Keeps the JSON text of an answer beside it. */
export function setJsonText(response: Response, text: string): void {
  (response as CarriedResponse)[JSON_TEXT] = text;
}

/**
 * A JSON answer made without a Response (undici's Response and Headers cost more than the rest of
 * a small answer): what a caller that writes answers itself (`deferBodies`) is given. It passes
 * `instanceof Response` and has `status`, `ok`, `headers` (made when first read) and no body; its
 * text comes from `jsonBodyText`, its header fields, without building Headers, from
 * `jsonAnswerFields`. `completeResponse` turns it into a real Response for every other caller.
 */
class JsonAnswer {
  readonly status: number;
  readonly body = null;
  bodyUsed = false;
  readonly [JSON_TEXT]: string;
  readonly [JSON_FIELDS]: Readonly<Record<string, string>>;
  #headers: Headers | undefined;

  constructor(status: number, text: string, fields: Readonly<Record<string, string>>) {
    this.status = status;
    this[JSON_TEXT] = text;
    this[JSON_FIELDS] = fields;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return '';
  }

  get headers(): Headers {
    this.#headers ??= new Headers(this[JSON_FIELDS]);
    return this.#headers;
  }

  /** The text, once, as a Response's body is read once. */
  text(): Promise<string> {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.bodyUsed = true;
    return Promise.resolve(this[JSON_TEXT]);
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text));
  }

  bytes(): Promise<Uint8Array> {
    return this.text().then((text) => new TextEncoder().encode(text));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) => bytes.buffer as ArrayBuffer);
  }

  blob(): Promise<Blob> {
    return this.text().then((text) => new Blob([text], { type: 'application/json' }));
  }

  clone(): JsonAnswer {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new JsonAnswer(this.status, this[JSON_TEXT], this[JSON_FIELDS]);
  }
}
/**
 * Whether JsonAnswer's prototype leads to Response's: linked on first use, since reading the global
 * `Response` loads Node's fetch implementation (≈ 10 ms), which a stdio server never needs.
 */
let linked = false;

/** A JSON answer with its status and header fields, made without a Response (see JsonAnswer). */
export function jsonAnswer(status: number, text: string, fields: Readonly<Record<string, string>>): Response {
  if (!linked) {
    Object.setPrototypeOf(JsonAnswer.prototype, Response.prototype);
    linked = true;
  }
  return new JsonAnswer(status, text, fields) as unknown as Response;
}

/** The header fields of an answer made by `jsonAnswer`, for an adapter writing it without Headers. */
export function jsonAnswerFields(response: Response): Readonly<Record<string, string>> | undefined {
  return (response as CarriedResponse)[JSON_FIELDS];
}

/**
 * The text a JSON answer was built from, while its body is unread: a server adapter can write it
 * in one call instead of reading a body stream back.
 */
export function jsonBodyText(response: Response): string | undefined {
  const text = (response as CarriedResponse)[JSON_TEXT];
  return text === undefined || response.bodyUsed ? undefined : text;
}
