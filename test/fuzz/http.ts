/**
 * Fuzz properties of the HTTP server's parsing entry points: POST bodies (readBodyText, parseBody),
 * Accept / Content-Type, Host / Origin, and the 2026-07-28 request headers (checkModernPost), the
 * last against the client's own header encoding.
 */
import fc from 'fast-check';
import { jsonBodyText } from '../../src/http/adapter.ts';
import { accepts, parseBody, readBodyText } from '../../src/http/body.ts';
import { checkHostAndOrigin, DEFAULT_ALLOWED_HOSTS } from '../../src/http/guard.ts';
import { checkModernPost } from '../../src/http/modern/modern-check.ts';

/** The 400 answer of the 2026-07-28 POST checks, or undefined when the request may be served. */
function checkModernRequest(...args: Parameters<typeof checkModernPost>): Response | undefined {
  const checked = checkModernPost(...args);
  return checked instanceof Response ? checked : undefined;
}

import {
  ErrorCode,
  type JsonRpcRequest,
  MetaKey,
  MODERN_REVISION,
  paramHeaderValues,
  valueAtPath,
} from '../../src/protocol/index.ts';
import { modernHeaders } from '../../src/transport/streamable-http-modern.ts';
import { anyText, cutBytes, cutsArb, jsonValueArb, messageLikeArb, utf8 } from './arbitraries.ts';
import { readHeaderValue } from './headers.ts';
import { specKind } from './jsonrpc.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** The JSON-RPC error body of a refusal. */
async function errorOf(r: Response): Promise<{ id: unknown; code: unknown; message: string }> {
  const text = jsonBodyText(r) ?? (await r.text());
  const body = JSON.parse(text) as {
    jsonrpc?: unknown;
    id?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  if (body.jsonrpc !== '2.0' || !('id' in body) || typeof body.error?.message !== 'string') {
    throw new Error(`malformed error body ${JSON.stringify(body)}`);
  }
  return { id: body.id, code: body.error.code, message: body.error.message };
}

/** A body that sends its chunks `everyMs` apart and then, unless `ends`, never ends (a slow client). */
function slowBodyRequest(chunks: readonly Uint8Array[], everyMs: number, ends: boolean): Request {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at > 0) await new Promise((resolve) => setTimeout(resolve, everyMs));
      const c = chunks[at++];
      if (c !== undefined) controller.enqueue(c.slice());
      else if (ends) controller.close();
      else await new Promise(() => {}); // silence
    },
  });
  return new Request('http://localhost/mcp', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

function bodyRequest(chunks: readonly Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c.slice());
      controller.close();
    },
  });
  return new Request('http://localhost/mcp', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

const bodyTextArb: fc.Arbitrary<string> = fc.oneof(
  anyText,
  fc.constantFrom('', ' ', '\n', '[]', '{}', 'null', '1', '"x"', '[1]'),
  messageLikeArb.map((m) => JSON.stringify(m)),
  fc.array(messageLikeArb, { maxLength: 4 }).map((a) => JSON.stringify(a)),
  jsonValueArb.map((v) => JSON.stringify(v)),
);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const hostArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'localhost',
        'LocalHost',
        '127.0.0.1',
        '[::1]',
        '[::2]',
        '[0:0:0:0:0:0:0:1]',
        '127.0.0.2',
      ),
      fc.constantFrom(
        'evil.com',
        'localhost.evil.com',
        '127.0.0.1.nip.io',
        'localhost.',
        '[::1]evil',
        '0x7f.1',
      ),
      fc.string({ maxLength: 8 }),
    ),
    fc.constantFrom('', ':80', ':3000', ':', ':abc', ':99999', '@evil.com', '/x'),
  )
  .map(([name, port]) => name + port)
  .filter((h) => !/[\r\n\0]/.test(h));

const originArb: fc.Arbitrary<string> = fc.oneof(
  hostArb.map((h) => `http://${h}`),
  hostArb.map((h) => `https://${h}`),
  fc.constantFrom(
    'null',
    'file://',
    'chrome-extension://abc',
    'http://localhost@evil.com',
    'http://evil.com#@localhost',
  ),
  fc.string({ maxLength: 12 }).filter((h) => !/[\r\n\0]/.test(h)),
);

function hostnameOf(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}`);
    return url.host === host.toLowerCase() || url.host === host.toLowerCase().replace(/:80$/, '')
      ? url.hostname
      : undefined;
  } catch {
    return undefined;
  }
}

const modernMethodArb = fc.constantFrom('tools/call', 'prompts/get', 'resources/read', 'tools/list', 'ping');
const argValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom(' padded ', '=?base64?SGk=?=', 'a\tb', '42', '', 'é'),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);
const PARAMS: ReadonlyArray<readonly [readonly string[], string]> = [
  [['region'], 'Region'],
  [['count'], 'Count'],
  [['flag'], 'Flag'],
  [['opts', 'zone'], 'Zone'],
];

/** A 2026-07-28 request and the headers the client would send with it. */
const modernArb = fc
  .record({
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 })),
    method: modernMethodArb,
    name: fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
      fc.constant('=?base64?x?='),
    ),
    args: fc.record(
      {
        region: argValueArb,
        count: argValueArb,
        flag: argValueArb,
        opts: fc.oneof(fc.record({ zone: argValueArb }, { requiredKeys: [] }), argValueArb),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ id, method, name, args }) => {
    const params: Record<string, unknown> = {
      _meta: { [MetaKey.protocolVersion]: MODERN_REVISION, [MetaKey.clientCapabilities]: {} },
    };
    if (method === 'resources/read') params.uri = name;
    else if (method !== 'tools/list' && method !== 'ping') params.name = name;
    if (method === 'tools/call') params.arguments = args;
    const message = { jsonrpc: '2.0', id, method, params } as JsonRpcRequest;
    const headers: Record<string, string> = {
      ...modernHeaders(message, MODERN_REVISION),
      ...(method === 'tools/call' ? paramHeaderValues(PARAMS, args) : undefined),
    };
    return { message, headers };
  });

const checkHost = {
  supported: [MODERN_REVISION],
  host: { connect: () => Promise.reject(new Error('not used')), toolHeaders: () => PARAMS },
};

/** Whether a decoded header stands for a body value, as the spec compares them. */
function agrees(text: string, value: unknown): boolean {
  if (typeof value === 'string') return text === value;
  if (typeof value === 'number')
    return /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) && Number(text) === value;
  if (typeof value === 'boolean') return text === String(value);
  return false;
}

/** Lone surrogates cannot travel in UTF-8: such values are left to the mismatch check. */
const wellFormed = (v: unknown): boolean =>
  typeof v !== 'string' || !/[\uD800-\uDFFF]/.test(v.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

/** The POST body properties. */
export const httpBodyFuzz: FuzzGroup = {
  parser: 'HTTP POST body (readBodyText, parseBody)',
  properties: [
    defineProperty('parseBody answers every text with messages, or 400 with -32700 / -32600', () =>
      fc.asyncProperty(bodyTextArb, async (text) => {
        const r = parseBody(text);
        let value: unknown;
        let json = true;
        try {
          value = JSON.parse(text);
        } catch {
          json = false;
        }
        if (r instanceof Response) {
          if (r.status !== 400) throw new Error(`status ${r.status}`);
          const { code } = await errorOf(r);
          const want = !json || text.trim() === '' ? ErrorCode.ParseError : ErrorCode.InvalidRequest;
          if (code !== want)
            throw new Error(`code ${String(code)} for ${JSON.stringify(text)}, expected ${want}`);
          return;
        }
        const items = Array.isArray(value) ? value : [value];
        if (!json || items.length === 0 || items.some((i) => specKind(i) === 'invalid')) {
          throw new Error(`accepted ${JSON.stringify(text)}`);
        }
        if (r.batch !== Array.isArray(value) || r.messages.length !== items.length)
          throw new Error('wrong shape');
        if (r.requests.length !== items.filter((i) => specKind(i) === 'request').length)
          throw new Error('requests');
      }),
    ),
    defineProperty(
      'readBodyText answers 408 to a body that stalls or drips past its deadline, whatever was sent before',
      () =>
        fc.asyncProperty(bodyTextArb.map(utf8), cutsArb, fc.boolean(), async (bytes, cuts, drip) => {
          const chunks = cutBytes(bytes, cuts);
          // A drip: chunks 1 ms apart that never stop (the last one repeated); a stall: then silence.
          const request = drip
            ? slowBodyRequest([...chunks, ...Array.from({ length: 10_000 }, () => utf8(' '))], 1, true)
            : slowBodyRequest(chunks, 0, false);
          const limits = drip
            ? { maxBodyBytes: 1 << 20, bodyIdleMs: 5_000, bodyTimeoutMs: 30 }
            : { maxBodyBytes: 1 << 20, bodyIdleMs: 20, bodyTimeoutMs: 30_000 };
          const got = await readBodyText(request, limits);
          if (!(got instanceof Response) || got.status !== 408) throw new Error(`no 408: ${String(got)}`);
          const message = (await errorOf(got)).message;
          if (!message.includes(drip ? 'bodyTimeoutMs' : 'bodyIdleMs'))
            throw new Error(`message: ${message}`);
          if (got.headers.get('connection') !== 'close') throw new Error('the connection is kept');
        }),
      0.01,
    ),
    defineProperty('readBodyText reads any chunking up to the limit, 413 past it, 400 for bad UTF-8', () =>
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), bodyTextArb.map(utf8)),
        cutsArb,
        fc.integer({ min: 0, max: 80 }),
        async (bytes, cuts, limit) => {
          const got = await readBodyText(bodyRequest(cutBytes(bytes, cuts)), {
            maxBodyBytes: limit,
            bodyIdleMs: 5_000,
            bodyTimeoutMs: 30_000,
          });
          if (bytes.length > limit) {
            if (!(got instanceof Response) || got.status !== 413) throw new Error('no 413 past the limit');
            return;
          }
          let text: string | undefined;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          } catch {
            text = undefined;
          }
          if (text === undefined) {
            if (!(got instanceof Response) || got.status !== 400) throw new Error('bad UTF-8 accepted');
            if ((await errorOf(got)).code !== ErrorCode.ParseError) throw new Error('bad UTF-8 not -32700');
          } else if (got !== text)
            throw new Error(`read ${JSON.stringify(got)}, sent ${JSON.stringify(text)}`);
        },
      ),
    ),
  ],
};

/** The Accept, Host and Origin properties. */
export const httpGuardFuzz: FuzzGroup = {
  parser: 'HTTP Accept / Host / Origin',
  properties: [
    defineProperty(
      'accepts finds a media type among any others, whatever the case, spacing and parameters',
      () =>
        fc.property(
          fc.array(fc.constantFrom('text/html', 'application/jsonx', 'text/event-stream+x', 'json', ''), {
            maxLength: 3,
          }),
          fc.constantFrom('application/json', 'text/event-stream'),
          fc.constantFrom('', ';q=0.5', ' ; charset=utf-8'),
          fc.boolean(),
          fc.nat(3),
          (others, type, params, upper, at) => {
            const listed: string[] = [...others];
            if (accepts(listed.join(', '), type)) throw new Error(`found ${type} in ${listed.join(', ')}`);
            listed.splice(at % (listed.length + 1), 0, ` ${upper ? type.toUpperCase() : type}${params} `);
            if (!accepts(listed.join(','), type)) throw new Error(`missed ${type} in ${listed.join(',')}`);
          },
        ),
    ),
    defineProperty('Host and Origin checks admit only loopback hosts and same-host or loopback origins', () =>
      fc.asyncProperty(hostArb, fc.option(originArb, { nil: undefined }), async (host, origin) => {
        const headers: Record<string, string> = { host };
        if (origin !== undefined) headers.origin = origin;
        const request = new Request('http://localhost/mcp', { method: 'POST', headers });
        const denied = checkHostAndOrigin(request, {
          allowedHosts: DEFAULT_ALLOWED_HOSTS,
          allowedOrigins: undefined,
        });
        const comma = (request.headers.get('host') ?? '').includes(',');
        if (denied && denied.status !== (comma ? 400 : 403)) throw new Error(`status ${denied.status}`);
        if (comma && !denied) throw new Error(`admitted Host ${host}, which holds a comma`);
        const name = hostnameOf(request.headers.get('host') ?? '');
        if (name !== undefined && !LOOPBACK.has(name) && !denied) throw new Error(`admitted Host ${host}`);
        if (denied || origin === undefined) return;
        let url: URL;
        try {
          url = new URL(origin);
        } catch {
          throw new Error(`admitted unparsable Origin ${origin}`);
        }
        const sameHost = url.host === (request.headers.get('host') ?? '').toLowerCase();
        if (!/^https?:$/.test(url.protocol) || (!sameHost && !LOOPBACK.has(url.hostname))) {
          throw new Error(`admitted Origin ${origin} for Host ${host}`);
        }
      }),
    ),
    defineProperty('more than one Host header is refused with 400, whatever the hosts', () =>
      fc.property(fc.array(hostArb, { minLength: 2, maxLength: 4 }), fc.boolean(), (hosts, off) => {
        const headers = new Headers();
        for (const h of hosts) headers.append('host', h);
        const request = new Request('http://localhost/mcp', { method: 'POST', headers });
        const policy = {
          allowedHosts: off ? (false as const) : DEFAULT_ALLOWED_HOSTS,
          allowedOrigins: undefined,
        };
        const denied = checkHostAndOrigin(request, policy);
        if (denied?.status !== 400)
          throw new Error(`Host ${hosts.join(' + ')}: ${denied?.status ?? 'admitted'}`);
      }),
    ),
    defineProperty('an absolute-form request target must name an allowed host too', () =>
      fc.property(hostArb, fc.constantFrom('localhost', '127.0.0.1:3000', '[::1]:8080'), (target, host) => {
        let url: URL;
        try {
          url = new URL(`http://${target}/mcp`);
        } catch {
          return;
        }
        if (url.username !== '' || url.password !== '') return; // no Request can carry them
        const request = new Request(url, { method: 'POST', headers: { host } });
        const denied = checkHostAndOrigin(request, {
          allowedHosts: DEFAULT_ALLOWED_HOSTS,
          allowedOrigins: undefined,
        });
        const loopback = LOOPBACK.has(url.hostname);
        if (loopback && denied) throw new Error(`refused target ${url.href} for Host ${host}`);
        if (!loopback && denied?.status !== 403)
          throw new Error(`admitted target ${url.href} for Host ${host}`);
      }),
    ),
  ],
};

/** The 2026-07-28 request header properties. */
export const httpModernFuzz: FuzzGroup = {
  parser: 'HTTP 2026-07-28 request headers',
  properties: [
    defineProperty('a 2026-07-28 request with the headers the client sends passes the server checks', () =>
      fc.property(modernArb, ({ message, headers }) => {
        const args = (message.params?.arguments ?? {}) as Record<string, unknown>;
        const name = message.params?.name ?? message.params?.uri;
        if (!wellFormed(name) || !Object.values(args).every(wellFormed)) return;
        const request = new Request('http://localhost/mcp', { method: 'POST', headers });
        const refused = checkModernRequest(request, message, checkHost);
        if (refused)
          throw new Error(`refused ${JSON.stringify(headers)} for ${JSON.stringify(message.params)}`);
      }),
    ),
    defineProperty(
      'checkModernPost refuses altered headers with 400 and an envelope code, else they agree',
      () =>
        fc.asyncProperty(
          modernArb,
          fc.constantFrom(
            'mcp-protocol-version',
            'mcp-method',
            'mcp-name',
            'mcp-param-region',
            'mcp-param-count',
          ),
          fc.oneof(
            fc.string({ maxLength: 10 }).filter((s) => !/[\r\n\0]/.test(s)),
            fc.constantFrom(
              '',
              '2025-11-25',
              '=?base64?SGk=?=',
              '=?base64?!!?=',
              '42.0',
              '+1',
              ' 1 ',
              'true',
            ),
            fc.constant(undefined),
          ),
          async ({ message, headers }, header, replacement) => {
            const altered = { ...headers };
            if (replacement === undefined) delete altered[header];
            else altered[header] = replacement;
            const request = new Request('http://localhost/mcp', { method: 'POST', headers: altered });
            const refused = checkModernRequest(request, message, checkHost);
            if (refused) {
              const { id, code } = await errorOf(refused);
              const codes = [
                ErrorCode.HeaderMismatch,
                ErrorCode.InvalidParams,
                ErrorCode.UnsupportedProtocolVersion,
              ];
              if (refused.status !== 400 || !codes.includes(code as never) || id !== message.id) {
                throw new Error(`refused with ${refused.status} ${String(code)} id ${String(id)}`);
              }
              return;
            }
            const h = request.headers;
            if (h.get('mcp-protocol-version') !== MODERN_REVISION || h.get('mcp-method') !== message.method) {
              throw new Error(`accepted ${JSON.stringify(altered)}`);
            }
            const name = message.params?.name ?? message.params?.uri;
            const rawName = h.get('mcp-name');
            if (typeof name === 'string' && (rawName === null || readHeaderValue(rawName) !== name)) {
              throw new Error(`accepted Mcp-Name ${String(rawName)} for ${JSON.stringify(name)}`);
            }
            const args = message.params?.arguments;
            for (const [path, paramHeader] of message.method === 'tools/call' ? PARAMS : []) {
              const raw = h.get(`mcp-param-${paramHeader}`);
              const value = valueAtPath(args, path);
              if (raw === null) {
                if (value !== undefined && value !== null)
                  throw new Error(`accepted a missing ${paramHeader}`);
              } else if (!agrees(readHeaderValue(raw), value)) {
                throw new Error(`accepted ${paramHeader}: ${raw} for ${JSON.stringify(value)}`);
              }
            }
          },
        ),
    ),
  ],
};
