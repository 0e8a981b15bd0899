import { describe, expect, it } from 'vitest';
import {
  decodeHeaderValue,
  encodeHeaderValue,
  headerParams,
  headerValueProblem,
  paramHeaderValues,
  valueAtPath,
} from './headers.ts';

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
    ).toEqual([[['region'], 'Region']]);
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

describe('basic/transports/streamable-http: x-mcp-header on nested properties', () => {
  const tool = (inputSchema: Record<string, unknown>) => ({ name: 't', inputSchema });

  it('finds annotations reached from the root by properties keys alone, with their paths', () => {
    const schema = {
      type: 'object',
      properties: {
        target: {
          type: 'object',
          properties: {
            zone: { type: 'string', 'x-mcp-header': 'Zone' },
            deep: { type: 'object', properties: { id: { type: 'integer', 'x-mcp-header': 'Id' } } },
          },
        },
        flag: { type: 'boolean', 'x-mcp-header': 'Flag' },
        'x-mcp-header': { type: 'string' },
      },
    };
    expect(headerParams(tool(schema))).toEqual([
      [['target', 'zone'], 'Zone'],
      [['target', 'deep', 'id'], 'Id'],
      [['flag'], 'Flag'],
    ]);
  });

  it.each([
    ['items', { a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }],
    ['prefixItems', { a: { type: 'array', prefixItems: [{ type: 'string', 'x-mcp-header': 'A' }] } }],
    ['anyOf', { a: { anyOf: [{ type: 'string', 'x-mcp-header': 'A' }] } }],
    [
      'oneOf',
      { a: { oneOf: [{ type: 'object', properties: { b: { type: 'string', 'x-mcp-header': 'A' } } }] } },
    ],
    ['allOf', { a: { allOf: [{ type: 'string', 'x-mcp-header': 'A' }] } }],
    ['not', { a: { not: { type: 'string', 'x-mcp-header': 'A' } } }],
    // biome-ignore lint/suspicious/noThenProperty: 'then' is a JSON Schema keyword here.
    ['if/then/else', { a: { if: {}, then: {}, else: { type: 'string', 'x-mcp-header': 'A' } } }],
    [
      'additionalProperties',
      { a: { type: 'object', additionalProperties: { type: 'string', 'x-mcp-header': 'A' } } },
    ],
    [
      'patternProperties',
      { a: { type: 'object', patternProperties: { '^x': { type: 'string', 'x-mcp-header': 'A' } } } },
    ],
  ])('makes the tool invalid for an annotation under %s', (_where, properties) => {
    expect(headerParams(tool({ type: 'object', properties }))).toBeUndefined();
  });

  it('makes the tool invalid for an annotation in $defs (a $ref target) or on the root', () => {
    const defs = {
      type: 'object',
      $defs: { r: { type: 'string', 'x-mcp-header': 'R' } },
      properties: { r: { $ref: '#/$defs/r' } },
    };
    expect(headerParams(tool(defs))).toBeUndefined();
    expect(headerParams(tool({ type: 'object', 'x-mcp-header': 'Root', properties: {} }))).toBeUndefined();
    expect(
      headerParams(
        tool({
          type: 'object',
          properties: { a: { type: 'object', properties: { b: { type: 'string', 'x-mcp-header': 'X' } } } },
          anyOf: [{ properties: { c: { type: 'string', 'x-mcp-header': 'Y' } } }],
        }),
      ),
    ).toBeUndefined();
  });

  it('keeps header names unique across nesting levels, case-insensitively', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'string', 'x-mcp-header': 'Key' },
        b: { type: 'object', properties: { c: { type: 'string', 'x-mcp-header': 'KEY' } } },
      },
    };
    expect(headerParams(tool(schema))).toBeUndefined();
  });

  it('reads the value at the exact path and leaves the header out when there is none', () => {
    const params: Array<[string[], string]> = [
      [['target', 'zone'], 'Zone'],
      [['flag'], 'Flag'],
      [['target', 'missing'], 'Missing'],
    ];
    expect(valueAtPath({ target: { zone: 'eu' } }, ['target', 'zone'])).toBe('eu');
    expect(valueAtPath({ target: 'eu' }, ['target', 'zone'])).toBeUndefined();
    expect(valueAtPath({ target: ['eu'] }, ['target', '0'])).toBeUndefined();
    expect(paramHeaderValues(params, { target: { zone: 'eu west' }, flag: false })).toEqual({
      'Mcp-Param-Zone': 'eu west',
      'Mcp-Param-Flag': 'false',
    });
    expect(paramHeaderValues(params, { target: { zone: null } })).toBeUndefined();
    expect(paramHeaderValues(params, undefined)).toBeUndefined();
  });

  it('refuses integers outside the JavaScript safe range', () => {
    const params: Array<[string[], string]> = [[['n', 'id'], 'Id']];
    expect(headerValueProblem(params, { n: { id: 2 ** 53 - 1 } })).toBeUndefined();
    expect(headerValueProblem(params, { n: { id: -(2 ** 53) + 1 } })).toBeUndefined();
    expect(headerValueProblem(params, { n: { id: 2 ** 53 } })).toMatch(
      /^arguments\.n\.id \(9007199254740992\), mirrored in Mcp-Param-Id, must be an integer/,
    );
    expect(headerValueProblem(params, { n: { id: 1.5 } })).toMatch(/must be an integer/);
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
