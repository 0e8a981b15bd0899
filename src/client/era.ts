/**
 * The modern era on the client side (2026-07-28): the per-request envelope, era detection as the
 * versioning page orders it, `Mcp-Param-*` headers for `x-mcp-header` tool parameters, and the
 * memory of which era each server speaks.
 */
import { encodeHeaderValue } from '../protocol/index.ts';

export { isModernError, withEnvelope } from '../protocol/index.ts';

/** Which era a client speaks with a server. */
export type Era = 'modern' | 'legacy';

/** Remembered eras, by server (an HTTP origin and path, or a stdio command line). */
export const eraMemory = new Map<string, Era>();

/** The `Mcp-Param-*` headers for a tool call. */
export function paramHeaders(
  params: Array<[string, string]>,
  args: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const [name, header] of params) {
    const v = encodeHeaderValue(args?.[name]);
    if (v === undefined) continue;
    headers ??= {};
    headers[`Mcp-Param-${header}`] = v;
  }
  return headers;
}
