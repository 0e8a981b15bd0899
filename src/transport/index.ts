/** Runtime-neutral transports. */
export * from './memory.ts';
export * from './stdio.ts';
