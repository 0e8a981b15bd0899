/** The reference server. */
export * from './server.ts';
