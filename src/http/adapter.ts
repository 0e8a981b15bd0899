/**
 * The adapter contract, `mcpkit/http/adapter`: what a runtime adapter (the Node one in
 * `mcpkit/node` is one) may hand the handler beside a `Request` — the body bytes that already
 * arrived, an abort signal, the client's address, a light stand-in for the Request — and read back
 * beside a `Response` (a JSON text, the SSE connection to write). Applications never need it; an
 * adapter that uses none of it still works, through plain `Request`s and `Response`s. It loads
 * neither the handler nor the stores.
 */
export {
  CLIENT_ADDRESS,
  clientAddressOf,
  deferBodies,
  jsonBodyText,
  PROVIDED_BODIES,
  provideBody,
  provideClientAddress,
  providedBody,
  provideSignal,
  REAL_REQUEST,
  realRequest,
  requestSignal,
} from './beside.ts';
export { sseConnectionOf } from './sse.ts';
