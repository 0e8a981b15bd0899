/** `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3, RFC 9728 §5.1): parsing and writing. */

/** One challenge: a scheme (lowercased) with its parameters (names lowercased). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Parses a `WWW-Authenticate` value (or several joined by commas) into its challenges. */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  let rest = header;
  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, '');
  };
  for (;;) {
    skip(/^[\s,]+/);
    const scheme = TOKEN.exec(rest)?.[0];
    if (!scheme) return challenges;
    rest = rest.slice(scheme.length);
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skip(/^[ \t]+/);
    const t68 = TOKEN68.exec(rest)?.[0];
    if (t68 && /^[ \t]*(,|$)/.test(rest.slice(t68.length))) {
      challenge.token68 = t68;
      rest = rest.slice(t68.length);
      continue;
    }
    while (isParamNext(rest)) {
      skip(/^[\s,]+/);
      const name = TOKEN.exec(rest)?.[0] as string;
      rest = rest.slice(name.length).replace(/^[ \t]*=[ \t]*/, '');
      let value: string;
      if (rest.startsWith('"')) {
        const quoted = readQuoted(rest);
        value = quoted.value;
        rest = rest.slice(quoted.length);
      } else {
        value = TOKEN.exec(rest)?.[0] ?? '';
        rest = rest.slice(value.length);
      }
      const key = name.toLowerCase();
      if (!(key in challenge.params)) challenge.params[key] = value;
      skip(/^[ \t]+/);
    }
  }
}

/** True when the text continues with `name=` (another parameter), not with a new scheme. */
function isParamNext(text: string): boolean {
  const trimmed = text.replace(/^[\s,]+/, '');
  const name = TOKEN.exec(trimmed)?.[0];
  return name !== undefined && /^[ \t]*=/.test(trimmed.slice(name.length));
}

function readQuoted(text: string): { value: string; length: number } {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (c === '"') {
      return { value, length: i + 1 };
    } else {
      value += c;
    }
  }
  return { value, length: text.length };
}

/** Writes one challenge; parameters whose value is undefined are left out. */
export function formatChallenge(scheme: string, params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const safe = value.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`);
    parts.push(`${name}="${safe}"`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}

/** What a client needs from a 401/403 answer: the Bearer or DPoP challenge's parameters. */
export interface AuthChallenge {
  /** `bearer` or `dpop`. */
  scheme: string;
  /** The Protected Resource Metadata URL (RFC 9728 §5.1). */
  resourceMetadata?: string;
  /** The scopes the operation needs (space-separated). */
  scope?: string;
  /** The OAuth error code (`invalid_token`, `insufficient_scope`, `use_dpop_nonce`, …). */
  error?: string;
  /** The human-readable description. */
  errorDescription?: string;
}

/** Finds the Bearer (or else DPoP) challenge of a response, if it has one. */
export function authChallengeOf(response: Response): AuthChallenge | undefined {
  const all = parseWwwAuthenticate(response.headers.get('www-authenticate'));
  const found = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'dpop');
  if (!found) return undefined;
  const p = found.params;
  const challenge: AuthChallenge = { scheme: found.scheme };
  if (p.resource_metadata) challenge.resourceMetadata = p.resource_metadata;
  if (p.scope !== undefined) challenge.scope = p.scope;
  if (p.error) challenge.error = p.error;
  if (p.error_description) challenge.errorDescription = p.error_description;
  return challenge;
}
