/**
 * `x-mcp-header` tool parameters mirrored in `Mcp-Param-*` HTTP headers (2026-07-28): which
 * parameters a tool mirrors, and the header value encoding (plain visible ASCII, or
 * `=?base64?…?=` for anything else).
 */
import type { Tool } from './types.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The `x-mcp-header` parameters of a tool, or undefined when the tool's annotations are invalid
 * (the client must then not call it: empty or duplicate names, names that are not HTTP tokens, or
 * an annotation on a property that is not a string, number or boolean).
 */
export function headerParams(tool: Tool): Array<[param: string, header: string]> | undefined {
  const props = (tool.inputSchema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, schema] of Object.entries(props)) {
    if (typeof schema !== 'object' || schema === null || !('x-mcp-header' in schema)) continue;
    const header = schema['x-mcp-header'];
    const type = schema.type;
    if (typeof header !== 'string' || header === '' || !TOKEN.test(header)) return undefined;
    if (type !== 'string' && type !== 'integer' && type !== 'boolean') return undefined;
    const lower = header.toLowerCase();
    if (seen.has(lower)) return undefined;
    seen.add(lower);
    out.push([name, header]);
  }
  return out;
}

/** Encodes one parameter value for an `Mcp-Param-*` header; undefined means "send no header". */
export function encodeHeaderValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const plain = /^[\x20-\x7e]*$/.test(text) && text.trim() === text && !/^=\?base64\?.*\?=$/s.test(text);
  if (plain) return text;
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}

/**
 * Decodes an `Mcp-Param-*` header value: the `=?base64?…?=` form strictly (canonical padding, base64
 * alphabet only, valid UTF-8), anything else as the literal text. Undefined when the encoded form is
 * malformed.
 */
export function decodeHeaderValue(value: string): string | undefined {
  const m = /^=\?base64\?(.*)\?=$/.exec(value);
  if (!m) return value;
  const b64 = m[1];
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  if (btoa(binary) !== b64) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
