/** Storage interfaces for sessions and resumable events, with their in-memory implementations. */
export * from './events.ts';
export * from './sessions.ts';
