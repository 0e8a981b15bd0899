/** The JSON-RPC engine: peer, transport interface, middleware. */
export * from './compose.ts';
export * from './emitter.ts';
export * from './peer.ts';
export * from './transport.ts';
