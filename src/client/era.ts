/**
 * The modern era on the client side (2026-07-28): the per-request envelope, era detection as the
 * versioning page orders it, and the memory of which era each server speaks.
 */
export { isModernError, withEnvelope } from '../protocol/index.ts';

/** Which era a client speaks with a server. */
export type Era = 'modern' | 'legacy';

/** Remembered eras, by server (an HTTP origin and path, or a stdio command line). */
export const eraMemory = new Map<string, Era>();
