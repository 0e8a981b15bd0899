/** Node adapters: stdio process transports, and more. */

export * from './auth-server.ts';
export * from './http.ts';
export * from './oauth-loopback.ts';
export * from './stdio-client.ts';
export * from './stdio-server.ts';
