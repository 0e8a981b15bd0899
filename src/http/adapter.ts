/**
 * The adapter contract, `mcpkit/http/adapter`: what a runtime adapter (the Node one in
 * `mcpkit/node` is one) may hand the handler beside a `Request` — the body bytes that already
 * arrived, an abort signal or a lighter watch on the client going away (`provideDeparture`), the
 * client's address, a light stand-in for the Request — and read back beside a `Response` (a JSON
 * text and its header fields, the SSE connection to write). An adapter that calls `deferBodies`
 * gets JSON answers made without a Response (`jsonAnswerFields` gives their fields). Applications never need it; an
 * adapter that uses none of it still works, through plain `Request`s and `Response`s. It loads
 * neither the handler nor the stores.
 */
export {
  CLIENT_ADDRESS,
  clientAddressOf,
  type Departure,
  type DepartureWatch,
  deferBodies,
  jsonAnswerFields,
  jsonBodyText,
  PROVIDED_BODIES,
  provideBody,
  provideClientAddress,
  provideDeparture,
  providedBody,
  provideSignal,
  REAL_REQUEST,
  realRequest,
  requestDeparture,
  requestSignal,
} from './beside.ts';
export { sseConnectionOf } from './sse.ts';
