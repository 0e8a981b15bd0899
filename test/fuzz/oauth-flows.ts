/**
 * Fuzz properties of the OAuth client against hostile servers: the network guard under every policy,
 * authorization server metadata with any issuer on the RFC 8414 and the no-PRM paths, every URL a
 * grant sends to, and the size bound on OAuth answers.
 */
import fc from 'fast-check';
import { discoverAuthorizationServer, legacyAuthorizationServer } from '../../src/auth/discovery.ts';
import { OAuthFlowError } from '../../src/auth/errors.ts';
import { obtainTokens } from '../../src/auth/grants.ts';
import { addressClass, assertSafeUrl, type NetworkPolicy } from '../../src/auth/network-guard.ts';
import { boundedOAuthFetch } from '../../src/auth/oauth-fetch.ts';
import { isLoopbackHost } from '../../src/auth/resource-uri.ts';
import { MemoryTokenStore } from '../../src/auth/token-store.ts';
import { jsonValueArb } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

const policyArb: fc.Arbitrary<NetworkPolicy> = fc.record({
  allowPrivateNetwork: fc.boolean(),
  allowLoopback: fc.boolean(),
});

/** Hosts of every class, written in the spellings the URL parser normalizes. */
const hostArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('localhost', 'a.localhost', 'as.example.com', 'metadata.google.internal', '0x7f.1'),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6().map((a) => `[${a}]`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([c, d]) => `169.254.${c}.${d}`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([c, d]) => `[::ffff:169.254.${c}.${d}]`),
  fc.nat(0xffff).map((n) => `[fe80::${n.toString(16)}]`),
  fc.constantFrom('[fd00:ec2::254]', '10.0.0.1', '192.168.1.1', '100.100.100.200', '[::1]', '127.9.9.9'),
);

/** URLs as metadata might carry them: any scheme, host, credentials and path. */
const urlArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('https:', 'http:', 'HTTPS:', 'ftp:'),
    fc.constantFrom('', 'user@', 'user:pw@', ':pw@'),
    hostArb,
    fc.constantFrom('', ':8443', ':80'),
    fc.constantFrom('/token', '/', '/a/b?x=1', '/%2e%2e/t'),
  )
  .map(([scheme, userinfo, host, port, path]) => `${scheme}//${userinfo}${host}${port}${path}`);

/** What the guard must hold for a URL it let through. */
function allowedByGuard(text: string, policy: NetworkPolicy): string | undefined {
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return 'credentials';
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'scheme';
  const kind = loopback
    ? 'loopback'
    : /^[\d.]+$|^\[|^0x/i.test(url.hostname)
      ? addressClass(url.hostname)
      : 'public';
  if (kind === 'link-local') return 'link-local';
  if (kind === 'private' && !policy.allowPrivateNetwork) return 'private';
  if (kind === 'loopback' && !policy.allowPrivateNetwork && !policy.allowLoopback) return 'loopback';
  return undefined;
}

const ISSUER = 'https://as.example.com/tenant';
const SERVER = new URL('https://mcp.example.com/mcp');

const issuerArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    ISSUER,
    `${ISSUER}/`,
    'https://as.example.com',
    'https://mcp.example.com',
    'https://mcp.example.com/',
    'https://evil.example.com/tenant',
    'HTTPS://AS.EXAMPLE.COM/tenant',
  ),
  jsonValueArb,
);

const metadataArb = fc.record(
  {
    issuer: issuerArb,
    authorization_endpoint: fc.oneof(urlArb, jsonValueArb),
    token_endpoint: fc.oneof(urlArb, jsonValueArb),
    registration_endpoint: fc.oneof(urlArb, jsonValueArb),
    code_challenge_methods_supported: fc.constantFrom(['S256'], ['plain'], undefined),
    token_endpoint_auth_methods_supported: fc.constantFrom(['none'], ['client_secret_basic'], undefined),
  },
  { requiredKeys: ['issuer'] },
);

/** A fetch answering every request from `answer`, recording each URL asked for. */
function scriptedFetch(answer: (url: URL, init?: RequestInit) => Response) {
  const asked: string[] = [];
  const fetch = async (input: string | URL, init?: RequestInit) => {
    asked.push(String(input));
    return answer(new URL(input), init);
  };
  return { asked, fetch };
}

/** A Response from a JSON value (any value, including ones JSON.stringify drops). */
const jsonResponse = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value) ?? 'null', { status, headers: { 'content-type': 'application/json' } });

export const oauthFlowsFuzz: FuzzGroup = {
  parser: 'OAuth client flows against hostile servers',
  properties: [
    defineProperty(
      'assertSafeUrl lets through no link-local address and no credentials, and loopback or private only when the policy says',
      () =>
        fc.asyncProperty(urlArb, policyArb, async (text, policy) => {
          if (!URL.canParse(text)) return;
          try {
            await assertSafeUrl(new URL(text), 'x', policy);
          } catch (error) {
            if (error instanceof OAuthFlowError) return;
            throw error;
          }
          const why = allowedByGuard(text, policy);
          if (why) throw new Error(`${text} passed the guard (${why}) under ${JSON.stringify(policy)}`);
        }),
    ),
    defineProperty(
      'authorization server metadata is used only when its issuer is exactly the identifier it was fetched for, on the RFC 8414 and the no-PRM paths',
      () =>
        fc.asyncProperty(metadataArb, fc.boolean(), async (metadata, legacy) => {
          const { fetch } = scriptedFetch((url) =>
            url.pathname.startsWith('/.well-known/')
              ? jsonResponse(metadata)
              : new Response(null, { status: 404 }),
          );
          const ctx = { serverUrl: SERVER, fetch: boundedOAuthFetch(fetch), policy: {} };
          const expected = legacy ? SERVER.origin : ISSUER;
          try {
            const as = legacy
              ? await legacyAuthorizationServer(ctx)
              : await discoverAuthorizationServer(ctx, ISSUER);
            if (as.issuer !== expected) throw new Error(`used metadata of issuer ${String(as.issuer)}`);
          } catch (error) {
            if (error instanceof OAuthFlowError) return;
            throw error;
          }
        }),
      0.5,
    ),
    defineProperty(
      'every URL a grant sends to (registration, authorization, token) has passed the guard, whatever the metadata says',
      () =>
        fc.asyncProperty(
          metadataArb,
          policyArb,
          fc.constantFrom('authorization_code', 'client_credentials', 'jwt_bearer'),
          fc.boolean(),
          async (metadata, policy, grantType, preRegistered) => {
            const { asked, fetch } = scriptedFetch((url) =>
              url.pathname.includes('register')
                ? jsonResponse({ client_id: 'c1', client_secret: 's1' }, 201)
                : jsonResponse({ access_token: 'at', token_type: 'Bearer' }),
            );
            const ctx = { serverUrl: SERVER, fetch: boundedOAuthFetch(fetch), policy };
            const as = { ...metadata, issuer: ISSUER } as Parameters<typeof obtainTokens>[0]['as'];
            const grant =
              grantType === 'jwt_bearer'
                ? ({ type: 'jwt_bearer', assertion: () => 'jwt' } as const)
                : ({ type: grantType } as { type: 'authorization_code' | 'client_credentials' });
            try {
              await obtainTokens({
                ctx,
                as,
                resource: SERVER.href,
                scope: undefined,
                grant,
                registration: preRegistered ? { preRegistered: { clientId: 'app', clientSecret: 's' } } : {},
                store: new MemoryTokenStore(),
                redirectUri: 'http://127.0.0.1:9/cb',
                redirect: async (url) => {
                  asked.push(url.href);
                  return { code: 'code', state: url.searchParams.get('state') ?? '', iss: ISSUER };
                },
                dpop: undefined,
              });
            } catch (error) {
              if (!(error instanceof OAuthFlowError)) throw error;
            }
            for (const url of asked) {
              const why = allowedByGuard(url, policy);
              if (why) throw new Error(`sent to ${url} (${why}) under ${JSON.stringify(policy)}`);
            }
          },
        ),
      0.5,
    ),
    defineProperty(
      'boundedOAuthFetch hands on a body exactly when it is within the limit, declared or streamed',
      () =>
        fc.asyncProperty(
          fc.integer({ min: 0, max: 4096 }),
          fc.integer({ min: 1, max: 4096 }),
          fc.constantFrom('declared', 'streamed', 'lying'),
          async (size, limit, how) => {
            const bytes = new Uint8Array(size).fill(65);
            const fetch = async () => {
              if (how === 'declared') return new Response(bytes);
              const body = new ReadableStream<Uint8Array>({
                start(controller) {
                  for (let i = 0; i < size; i += 512) controller.enqueue(bytes.slice(i, i + 512));
                  controller.close();
                },
              });
              const headers = how === 'lying' ? { 'content-length': '1' } : undefined;
              return new Response(body, { headers });
            };
            const bounded = boundedOAuthFetch(fetch, { maxResponseBytes: limit });
            let got: number;
            try {
              got = (await (await bounded('https://as.example.com/token')).arrayBuffer()).byteLength;
            } catch (error) {
              if (error instanceof OAuthFlowError && error.code === 'response_too_large' && size > limit)
                return;
              throw error;
            }
            if (size > limit || got !== size)
              throw new Error(`${got} of ${size} bytes handed on (limit ${limit})`);
          },
        ),
      0.5,
    ),
  ],
};
