/** The JSON-RPC engine: peer, transport interface, middleware. */
export * from './compose.ts';
export * from './emitter.ts';
export { PROGRESS_PACE_MS, paceAfterProgress, toErrorResponse } from './inflight.ts';
export * from './peer.ts';
export * from './transport.ts';
