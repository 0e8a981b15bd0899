/** Node adapters: stdio process transports, and more. */

export * from './http.ts';
export * from './stdio-client.ts';
export * from './stdio-server.ts';
export * from './auth-server.ts';
export * from './oauth-loopback.ts';
