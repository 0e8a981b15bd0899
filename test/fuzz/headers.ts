/**
 * Fuzz properties of `Mcp-Param-*` / `Mcp-Name` header values: encodeHeaderValue, decodeHeaderValue,
 * headerParams, paramHeaderValues and the transport's encodeNameHeader.
 */
import fc from 'fast-check';
import {
  decodeHeaderValue,
  encodeHeaderValue,
  headerParams,
  paramHeaderValues,
  type Tool,
} from '../../src/protocol/index.ts';
import { encodeNameHeader } from '../../src/transport/streamable-http-modern.ts';
import { jsonValueArb } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** A valid HTTP field value as sent: visible ASCII and inner spaces, no leading or trailing whitespace. */
const HEADER_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
const SENTINEL = /^=\?base64\?(.*)\?=$/s;

/** Reads a header value back, written from the spec's Value Encoding section alone. */
export function readHeaderValue(value: string): string {
  const m = SENTINEL.exec(value);
  if (!m) return value;
  const binary = atob(m[1]);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The text UTF-8 can carry: lone surrogates become U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The spec's string form of a parameter value. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

const plainSafe = (t: string): boolean => /^[\x20-\x7e]*$/.test(t) && t.trim() === t && !SENTINEL.test(t);

const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(' ', '\t', '\r', '\n', '\u0000', '\u007f', 'a', '=', '?', 'é', '\uD83D'),
  }),
  fc.string({ maxLength: 12 }).map((s) => `=?base64?${s}?=`),
  fc.constantFrom('=?base64?SGk=?=', '=?base64??=', '=?base64?', '?=', ' x', 'x ', 'a  b'),
);

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: stringArb },
  { weight: 2, arbitrary: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What headerParams must answer for a tool whose annotations sit on top-level properties. */
function expectedParams(props: Record<string, unknown>): Array<[string[], string]> | undefined {
  const out: Array<[string[], string]> = [];
  const seen = new Set<string>();
  for (const [name, schema] of Object.entries(props)) {
    if (typeof schema !== 'object' || schema === null || !('x-mcp-header' in schema)) continue;
    const { 'x-mcp-header': header, type } = schema as Record<string, unknown>;
    if (typeof header !== 'string' || !TOKEN.test(header)) return undefined;
    if (type !== 'string' && type !== 'integer' && type !== 'boolean') return undefined;
    if (seen.has(header.toLowerCase())) return undefined;
    seen.add(header.toLowerCase());
    out.push([[name], header]);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What headerParams must answer for any schema, written from the spec's Schema Extension section: the
 * annotations on properties reached by `properties` keys alone, or undefined when one is anywhere else.
 */
function expectedNested(schema: unknown): Array<[string[], string]> | undefined {
  const out: Array<[string[], string]> = [];
  let valid = true;
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[] | undefined, isRoot: boolean): void => {
    if (!isObject(node)) return;
    if ('x-mcp-header' in node) {
      const { 'x-mcp-header': header, type } = node;
      const ok =
        path !== undefined &&
        typeof header === 'string' &&
        TOKEN.test(header) &&
        (type === 'string' || type === 'integer' || type === 'boolean') &&
        !seen.has(header.toLowerCase());
      if (!ok) valid = false;
      else {
        seen.add(header.toLowerCase());
        out.push([path, header]);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isObject(value)) {
        for (const [name, sub] of Object.entries(value))
          visit(sub, isRoot || path ? [...(path ?? []), name] : undefined, false);
      } else if (['items', 'additionalProperties', 'not', 'if', 'then', 'else'].includes(key))
        visit(value, undefined, false);
      else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(key) && Array.isArray(value)) {
        for (const sub of value) visit(sub, undefined, false);
      } else if (['$defs', 'patternProperties'].includes(key) && isObject(value)) {
        for (const sub of Object.values(value)) visit(sub, undefined, false);
      }
    }
  };
  visit(schema, undefined, true);
  return valid ? out : undefined;
}

const annotationArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Region', 'Zone', 'X-Id', 'Tenant', 'a.b') },
  { weight: 1, arbitrary: fc.constantFrom('region', '', 'has space', 'a:b') },
);

/** Schemas with annotations on nested properties, under items, composition keywords, $defs and the like. */
const nestedSchemaArb: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ schema: Record<string, unknown> }>(
  (tie) => ({
    schema: fc.oneof(
      { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
      fc.record(
        {
          type: fc.constantFrom('string', 'integer', 'boolean', 'number', 'object'),
          'x-mcp-header': annotationArb,
        },
        { requiredKeys: ['type'] },
      ),
      fc.record({
        type: fc.constant('object'),
        properties: fc.dictionary(fc.constantFrom('a', 'b', 'region', 'odd key'), tie('schema'), {
          maxKeys: 3,
        }),
      }),
      fc
        .tuple(fc.constantFrom('items', 'not', 'then', 'additionalProperties'), tie('schema'))
        .map(([k, sub]) => ({ type: 'object', [k]: sub })),
      fc
        .tuple(fc.constantFrom('anyOf', 'allOf'), fc.array(tie('schema'), { minLength: 1, maxLength: 2 }))
        .map(([k, subs]) => ({ [k]: subs })),
      tie('schema').map((sub) => ({ type: 'object', $defs: { d: sub } })),
    ),
  }),
).schema;

const propertyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('string', 'integer', 'boolean', 'number', 'object', 'array'),
        jsonValueArb,
      ),
      'x-mcp-header': fc.oneof(
        fc.constantFrom('Region', 'region', 'X-Id', 'a.b', "!#$%&'*+.^_`|~", 'Tenant'),
        fc.constantFrom('', 'has space', 'bad\r\n', 'é', 'a:b', 'a/b'),
        fc.string({ maxLength: 6 }),
        jsonValueArb,
      ),
    },
    { requiredKeys: ['type'] },
  ),
  jsonValueArb,
);

/** The header value properties. */
export const headersFuzz: FuzzGroup = {
  parser: 'Mcp-Param / Mcp-Name header values',
  properties: [
    defineProperty('encodeHeaderValue gives a valid header value that reads back as the value', () =>
      fc.property(valueArb, (value) => {
        const encoded = encodeHeaderValue(value);
        if (value === null || value === undefined) {
          if (encoded !== undefined) throw new Error(`sent ${encoded} for ${String(value)}`);
          return;
        }
        if (encoded === undefined || !HEADER_VALUE.test(encoded))
          throw new Error(`invalid header value ${encoded}`);
        const text = textOf(value);
        if (plainSafe(text) ? encoded !== text : !SENTINEL.test(encoded)) {
          throw new Error(`${JSON.stringify(text)} encoded as ${encoded}`);
        }
        if (readHeaderValue(encoded) !== wellFormed(text)) throw new Error(`${encoded} reads back wrong`);
        if (decodeHeaderValue(encoded) !== wellFormed(text))
          throw new Error(`decodeHeaderValue(${encoded}) wrong`);
      }),
    ),
    defineProperty('decodeHeaderValue never throws, keeps plain text, and agrees with a lenient reader', () =>
      fc.property(
        fc.oneof(
          stringArb,
          fc.string({ maxLength: 16 }).map((s) => `=?base64?${s}?=`),
          fc.uint8Array({ maxLength: 12 }).map((b) => `=?base64?${btoa(String.fromCharCode(...b))}?=`),
        ),
        (value) => {
          const decoded = decodeHeaderValue(value);
          if (!SENTINEL.test(value) || value.includes('\n')) {
            if (decoded !== value) throw new Error(`plain ${JSON.stringify(value)} read as ${decoded}`);
            return;
          }
          if (decoded === undefined) return;
          let lenient: string | undefined;
          try {
            lenient = readHeaderValue(value);
          } catch {
            throw new Error(`decodeHeaderValue accepted ${value}, which is not base64`);
          }
          if (decoded !== lenient) throw new Error(`${value} read as ${JSON.stringify(decoded)}`);
        },
      ),
    ),
    defineProperty('headerParams accepts exactly the valid top-level x-mcp-header annotations', () =>
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'region', 'id'), propertyArb, { maxKeys: 4 }),
        (props) => {
          const tool = { name: 't', inputSchema: { type: 'object', properties: props } } as Tool;
          const got = headerParams(tool);
          const want = expectedParams(props);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            throw new Error(`headerParams gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
          }
        },
      ),
    ),
    defineProperty('headerParams finds annotations on nested properties and refuses them anywhere else', () =>
      fc.property(nestedSchemaArb, (schema) => {
        const tool = { name: 't', inputSchema: { ...schema, type: 'object' } } as Tool;
        const got = headerParams(tool);
        const want = expectedNested(tool.inputSchema);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`headerParams gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        }
      }),
    ),
    defineProperty('paramHeaderValues sends one encoded Mcp-Param header per value at a parameter path', () =>
      fc.property(
        fc.uniqueArray(
          fc.tuple(
            fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
            fc.constantFrom('Region', 'Id', 'X-Y', 'T'),
          ),
          {
            selector: ([path, header]) => `${path.join('.')}|${header.toLowerCase()}`,
            maxLength: 4,
          },
        ),
        fc.letrec<{ args: unknown }>((tie) => ({
          args: fc.oneof(
            { maxDepth: 3 },
            valueArb,
            fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('args'), { maxKeys: 3 }),
          ),
        })).args,
        (params, args) => {
          const got = paramHeaderValues(params, args) ?? {};
          const want: Record<string, string> = {};
          for (const [path, header] of params) {
            let value: unknown = args;
            for (const key of path) {
              value =
                value !== null && typeof value === 'object'
                  ? (value as Record<string, unknown>)[key]
                  : undefined;
            }
            const v = encodeHeaderValue(value);
            if (v !== undefined) want[`Mcp-Param-${header}`] = v;
          }
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`got ${JSON.stringify(got)}`);
        },
      ),
    ),
    defineProperty('encodeNameHeader gives a valid header value that reads back as the name', () =>
      fc.property(stringArb, (name) => {
        const encoded = encodeNameHeader(name);
        if (!HEADER_VALUE.test(encoded)) throw new Error(`invalid header value ${encoded}`);
        if (readHeaderValue(encoded) !== wellFormed(name)) throw new Error(`${encoded} reads back wrong`);
      }),
    ),
  ],
};
