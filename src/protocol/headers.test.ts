import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, encodeHeaderValue, headerParams } from './headers.ts';

describe('basic/transports/streamable-http: x-mcp-header parameters', () => {
  it('encodes safe ASCII plainly, JSON text for numbers and booleans, and base64 for the rest', () => {
    expect(encodeHeaderValue('us-west1')).toBe('us-west1');
    expect(encodeHeaderValue(42)).toBe('42');
    expect(encodeHeaderValue(false)).toBe('false');
    expect(encodeHeaderValue('')).toBe('');
    expect(encodeHeaderValue('a b')).toBe('a b');
    expect(encodeHeaderValue(null)).toBeUndefined();
    for (const tricky of ['Hello, 世界', ' padded ', 'a\nb', 'tab\there', 'x\r\n']) {
      const encoded = encodeHeaderValue(tricky) as string;
      expect(encoded).toMatch(/^=\?base64\?[A-Za-z0-9+/=]*\?=$/);
      expect(decodeHeaderValue(encoded)).toBe(tricky);
    }
  });

  it('decodes strictly: bad padding or characters are malformed, other text is literal', () => {
    expect(decodeHeaderValue('=?base64?SGVsbG8=?=')).toBe('Hello');
    expect(decodeHeaderValue('=?base64?SGVsbG8?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
    expect(decodeHeaderValue('SGVsbG8=')).toBe('SGVsbG8=');
    expect(decodeHeaderValue('=?base64?SGVsbG8=')).toBe('=?base64?SGVsbG8=');
  });

  it('finds the annotated parameters and rejects invalid annotations', () => {
    const tool = (props: Record<string, unknown>) => ({
      name: 't',
      inputSchema: { type: 'object', properties: props },
    });
    expect(
      headerParams(tool({ region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer' } })),
    ).toEqual([['region', 'Region']]);
    for (const bad of [
      { a: { type: 'string', 'x-mcp-header': '' } },
      { a: { type: 'number', 'x-mcp-header': 'A' } },
      { a: { type: 'object', 'x-mcp-header': 'A' } },
      { a: { type: 'string', 'x-mcp-header': 'Has Space' } },
      { a: { type: 'string', 'x-mcp-header': 'X' }, b: { type: 'string', 'x-mcp-header': 'x' } },
    ]) {
      expect(headerParams(tool(bad))).toBeUndefined();
    }
  });
});

describe('basic/transports/streamable-http: values that look encoded', () => {
  it('encodes a plain value that looks like the encoded form, so it reads back as itself', () => {
    const tricky = '=?base64?SGVsbG8=?=';
    const encoded = encodeHeaderValue(tricky) as string;
    expect(encoded).not.toBe(tricky);
    expect(decodeHeaderValue(encoded)).toBe(tricky);
  });
});
