/**
 * Fuzz properties of what the OAuth code reads from the network: `WWW-Authenticate` challenges,
 * resource URIs, Protected Resource Metadata documents and the address checks of the SSRF guard.
 */
import fc from 'fast-check';
import { authChallengeOf, formatChallenge, parseWwwAuthenticate } from '../../src/auth/challenge.ts';
import { discoverResourceMetadata } from '../../src/auth/discovery.ts';
import { OAuthFlowError } from '../../src/auth/errors.ts';
import { isPrivateAddress } from '../../src/auth/network-guard.ts';
import { canonicalResourceUri, resourceCovers } from '../../src/auth/resource-uri.ts';
import { anyText, jsonValueArb } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const tokenArb = fc.string({
  unit: fc.constantFrom(...'abcXYZ09-._~+!#$%&*^`|'.split('')),
  minLength: 1,
  maxLength: 8,
});

/** Text shaped like challenges, with the grammar's punctuation over-represented. */
const headerArb: fc.Arbitrary<string> = fc.oneof(
  anyText,
  fc
    .array(
      fc.oneof(
        tokenArb,
        fc.constantFrom('Bearer', 'DPoP', ' ', ',', '=', '"', '\\', '\t', 'realm', 'error', 'scope', 'a=='),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join('')),
);

/** One challenge as written: a scheme and distinct (case-insensitively) parameter names. */
const challengeArb = fc.record({
  scheme: tokenArb,
  params: fc.uniqueArray(fc.tuple(tokenArb, fc.string({ maxLength: 12 })), {
    maxLength: 5,
    selector: ([name]) => name.toLowerCase(),
  }),
});

/** A field value a Response's Headers accepts (no CR, LF, NUL, nothing past U+00FF). */
const fieldValue = (text: string): boolean =>
  [...text].every((c) => c.charCodeAt(0) <= 0xff && c !== '\r' && c !== '\n' && c !== '\0');

const urlishArb: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl().map((u) => u.toUpperCase()),
  fc
    .tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', '//', ''), anyText)
    .map(([a, b]) => a + b),
  anyText,
);

const SERVER = new URL('https://mcp.example.com/api/mcp');

/** Metadata documents: the fields discovery reads, each well-formed or not, plus noise. */
const metadataArb: fc.Arbitrary<unknown> = fc.oneof(
  jsonValueArb,
  fc.record(
    {
      resource: fc.oneof(
        fc.constantFrom(
          'https://mcp.example.com/api/mcp',
          'https://mcp.example.com',
          'https://mcp.example.com/api/',
        ),
        fc.constantFrom('https://other.example.com/api/mcp', 'https://mcp.example.com/apiX', ''),
        jsonValueArb,
      ),
      authorization_servers: fc.oneof(
        fc.array(fc.oneof(fc.webUrl(), fc.string({ maxLength: 8 })), { maxLength: 3 }),
        jsonValueArb,
      ),
      scopes_supported: fc.oneof(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), jsonValueArb),
      extra: jsonValueArb,
    },
    { requiredKeys: [] },
  ),
);

const bodyArb: fc.Arbitrary<{ status: number; text: string }> = fc.oneof(
  { weight: 6, arbitrary: metadataArb.map((m) => ({ status: 200, text: JSON.stringify(m) ?? 'null' })) },
  { weight: 1, arbitrary: anyText.map((text) => ({ status: 200, text })) },
  { weight: 1, arbitrary: fc.constantFrom(404, 401, 500, 302).map((status) => ({ status, text: '' })) },
);

export const oauthFuzz: FuzzGroup = {
  parser: 'OAuth challenges, resource URIs and metadata',
  properties: [
    defineProperty(
      'parseWwwAuthenticate reads any text into challenges with lowercase token schemes and names',
      () =>
        fc.property(headerArb, (header) => {
          for (const c of parseWwwAuthenticate(header)) {
            if (!TOKEN.test(c.scheme) || c.scheme !== c.scheme.toLowerCase())
              throw new Error(`scheme ${c.scheme}`);
            for (const name of Object.keys(c.params)) {
              if (!TOKEN.test(name) || name !== name.toLowerCase()) throw new Error(`parameter name ${name}`);
            }
          }
          if (fieldValue(header)) {
            const found = authChallengeOf(
              new Response(null, { status: 401, headers: { 'www-authenticate': header } }),
            );
            if (found && found.scheme !== 'bearer' && found.scheme !== 'dpop') throw new Error(found.scheme);
          }
        }),
    ),
    defineProperty(
      'formatChallenge is read back by parseWwwAuthenticate, several challenges in one header',
      () =>
        fc.property(fc.array(challengeArb, { minLength: 1, maxLength: 3 }), (challenges) => {
          const header = challenges
            .map((c) => formatChallenge(c.scheme, Object.fromEntries(c.params)))
            .join(', ');
          const parsed = parseWwwAuthenticate(header);
          if (parsed.length !== challenges.length)
            throw new Error(`${parsed.length} challenges in ${header}`);
          challenges.forEach((c, i) => {
            const got = parsed[i];
            if (got?.scheme !== c.scheme.toLowerCase()) throw new Error(`scheme ${got?.scheme} in ${header}`);
            for (const [name, value] of c.params) {
              const want = value.replace(/[^\x20-\x7e]/g, '?');
              if (got.params[name.toLowerCase()] !== want) throw new Error(`${name} in ${header}`);
            }
          });
        }),
    ),
    defineProperty(
      'canonicalResourceUri is idempotent, drops query and fragment or refuses, and covers its input',
      () =>
        fc.property(urlishArb, (input) => {
          let canonical: string;
          try {
            canonical = canonicalResourceUri(input);
          } catch (error) {
            if (error instanceof TypeError) return;
            throw error;
          }
          if (canonicalResourceUri(canonical) !== canonical) throw new Error(`not idempotent: ${canonical}`);
          if (!/^https?:\/\//.test(canonical) || /[?#]/.test(canonical)) throw new Error(canonical);
          if (!resourceCovers(canonical, new URL(input)))
            throw new Error(`${canonical} does not cover ${input}`);
        }),
    ),
    defineProperty('resourceCovers answers for any resource text, and only for the server’s own origin', () =>
      fc.property(urlishArb, fc.webUrl(), (resource, server) => {
        const serverUrl = new URL(server);
        if (!resourceCovers(resource, serverUrl)) return;
        if (new URL(resource).origin !== serverUrl.origin) throw new Error(`${resource} covers ${server}`);
      }),
    ),
    defineProperty(
      'Protected Resource Metadata: any document is accepted only when well-formed for this server, else refused with OAuthFlowError',
      () =>
        fc.asyncProperty(bodyArb, fc.boolean(), async (body, named) => {
          const fetch = async () =>
            new Response(body.status === 200 ? body.text : null, { status: body.status });
          const ctx = { serverUrl: SERVER, fetch, policy: {} };
          const challenge = named
            ? 'https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp'
            : undefined;
          let found: Awaited<ReturnType<typeof discoverResourceMetadata>>;
          try {
            found = await discoverResourceMetadata(ctx, challenge);
          } catch (error) {
            if (error instanceof OAuthFlowError) return;
            throw error;
          }
          if (found === undefined) {
            if (named || body.status === 200) throw new Error('no metadata, yet no error');
            return;
          }
          const m = found.metadata;
          if (typeof m.resource !== 'string' || !resourceCovers(m.resource, SERVER))
            throw new Error(m.resource);
          const servers = m.authorization_servers;
          if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => URL.canParse(s))) {
            throw new Error(JSON.stringify(servers));
          }
          const scopes = m.scopes_supported;
          if (
            scopes !== undefined &&
            !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))
          ) {
            throw new Error(JSON.stringify(scopes));
          }
        }),
      0.5,
    ),
    defineProperty(
      'isPrivateAddress answers for any text, and IPv4-mapped IPv6 addresses as their IPv4',
      () =>
        fc.property(fc.oneof(anyText, fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), fc.ipV4(), (text, v4) => {
          isPrivateAddress(text);
          if (isPrivateAddress(`::ffff:${v4}`) !== isPrivateAddress(v4)) throw new Error(v4);
          const [a, b] = v4.split('.').map(Number) as [number, number];
          const known =
            a === 10 ||
            a === 127 ||
            (a === 192 && b === 168) ||
            (a === 169 && b === 254) ||
            (a === 172 && b >= 16 && b <= 31);
          if (known && !isPrivateAddress(v4)) throw new Error(`${v4} is private`);
        }),
    ),
  ],
};
