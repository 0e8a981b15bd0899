/** The reference server. */
export * from './extended.ts';
export * from './extensions.ts';
export * from './server.ts';
