/** Node adapters: stdio process transports, and more. */
export * from './stdio-client.ts';
export * from './stdio-server.ts';
