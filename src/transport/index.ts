/** Runtime-neutral transports. */
export * from './memory.ts';
