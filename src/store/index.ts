/** Storage interfaces for sessions, resumable events and the cross-node bus, with in-memory implementations. */
export * from './bus.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './sessions.ts';
