import { describe, expect, it } from 'vitest';
import { MetaKey } from '../protocol/index.ts';
import {
  encodeNameHeader,
  isModernRefusal,
  modernHeaders,
  modernVersionOf,
} from './streamable-http-modern.ts';
import { HttpStatusError } from './streamable-http-request.ts';

const envelope = { _meta: { [MetaKey.protocolVersion]: '2026-07-28' } };

describe('Mcp-Name encoding (streamable-http, "Value Encoding")', () => {
  it('keeps plain ASCII byte for byte and Base64-encodes the rest, as the spec table shows', () => {
    expect(encodeNameHeader('file:///path/to/file%20name.txt')).toBe('file:///path/to/file%20name.txt');
    expect(encodeNameHeader('get weather')).toBe('get weather');
    expect(encodeNameHeader('')).toBe('');
    expect(encodeNameHeader('Hello, 世界')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(encodeNameHeader(' padded ')).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(encodeNameHeader('line1\nline2')).toBe('=?base64?bGluZTEKbGluZTI=?=');
    expect(encodeNameHeader('a\tb')).toBe('=?base64?YQli?=');
    expect(encodeNameHeader('=?base64?literal?=')).toBe('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
  });
});

describe('modern messages and their headers', () => {
  it('takes the version from params._meta, and mirrors method and name', () => {
    const call = { jsonrpc: '2.0' as const, id: 1, method: 'tools/call', params: { name: 'x', ...envelope } };
    expect(modernVersionOf(call)).toBe('2026-07-28');
    expect(modernHeaders(call, '2026-07-28')).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'x',
    });
    const list = { jsonrpc: '2.0' as const, id: 2, method: 'tools/list', params: envelope };
    expect(modernHeaders(list, '2026-07-28')).not.toHaveProperty('mcp-name');
    expect(modernVersionOf({ jsonrpc: '2.0', id: 3, method: 'initialize', params: {} })).toBeUndefined();
    expect(modernVersionOf({ jsonrpc: '2.0', id: 3, result: envelope })).toBeUndefined();
  });

  it('recognizes the refusals only a modern server gives', () => {
    const refusal = (status: number, body: unknown) =>
      new HttpStatusError('POST', new URL('http://h/mcp'), status, '', JSON.stringify(body));
    const rpc = (code: number) => ({ jsonrpc: '2.0', id: 1, error: { code, message: 'm' } });
    expect(isModernRefusal(refusal(400, rpc(-32022)))).toBe(true);
    expect(isModernRefusal(refusal(400, rpc(-32020)))).toBe(true);
    expect(isModernRefusal(refusal(400, rpc(-32021)))).toBe(true);
    expect(isModernRefusal(refusal(404, rpc(-32601)))).toBe(true);
    expect(isModernRefusal(refusal(400, rpc(-32000)))).toBe(false);
    expect(isModernRefusal(refusal(405, 'Method Not Allowed'))).toBe(false);
  });
});
