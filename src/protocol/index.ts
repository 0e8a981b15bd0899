/** The protocol layer: revisions, messages, types, error codes. Pure data, no I/O. */

export * from './bytes.ts';
export * from './client-features.ts';
export * from './errors.ts';
export * from './headers.ts';
export * from './jsonrpc.ts';
export * from './lifecycle.ts';
export * from './listen.ts';
export * from './methods.ts';
export * from './modern.ts';
export * from './revisions.ts';
export * from './server-features.ts';
export * from './shape.ts';
export * from './stable.ts';
export * from './types.ts';
