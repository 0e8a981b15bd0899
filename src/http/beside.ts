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

interface CarriedRequest {
  [BODY]?: Uint8Array;
  [SIGNAL]?: AbortSignal;
  [DEFER]?: true;
}

interface CarriedResponse {
  [JSON_TEXT]?: string;
}

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

/** The signal that aborts when the client of this request goes away. */
export function requestSignal(request: Request): AbortSignal {
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
 * The text a JSON answer was built from, while its body is unread: a server adapter can write it
 * in one call instead of reading a body stream back.
 */
export function jsonBodyText(response: Response): string | undefined {
  const text = (response as CarriedResponse)[JSON_TEXT];
  return text === undefined || response.bodyUsed ? undefined : text;
}
