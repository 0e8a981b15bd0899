/**
 * RFC 6570 URI templates (all four levels) for MCP resource templates: parse once, expand values into a
 * URI, and match a URI back to its values. Matching runs in time linear in the URI length times the
 * (bounded) template size: no backtracking regular expressions.
 *
 * Matching accepts exactly the URIs that expanding the template with string and list values gives (compared
 * after RFC 3986 normalization: hex digits in either case, unreserved characters encoded or not, non-ASCII
 * raw or encoded), with these choices where expansion alone leaves one:
 * - `{x}` and `{+x}` must be present and non-empty; variables of other expressions may be absent.
 * - Values of `{x}`, `{/x}`, `{.x}`, `{;x}`, `{?x}` never hold a raw reserved character: a raw ',' in a
 *   non-exploded value means a list, which comes back as an array. `{+x}` and `{#x}` values keep reserved
 *   characters, and triplets that encode them (`%2F`), as they appear; other triplets are decoded.
 * - `{x:n}` matches at most n characters of the value, counted as expansion counts them.
 * - When several splits fit, each value prefers to end before the next delimiter the template supplies, and
 *   otherwise takes as much as it can.
 * - Exploded variables (`{x*}`) come back as arrays. Exploded associative arrays are read back as lists only
 *   when expansion of a list gives the same text.
 * - Unless `exact` is set, a URI whose query params are in another order, repeated or unknown to the template
 *   still matches the query expressions (`{?a,b}` plus adjacent `{&c}`): unknown params are ignored, and for a
 *   non-exploded variable the first occurrence wins.
 * - A variable used twice must match the same value both times.
 */

import { compile, normalizeUri, type Token } from './uri-template-compile.ts';
import { collect, run } from './uri-template-match.ts';
import {
  expandExpression,
  type Part,
  parse,
  URI_TEMPLATE_LIMITS,
  type UriTemplateMatch,
  type UriTemplateValue,
} from './uri-template-syntax.ts';

export {
  URI_TEMPLATE_LIMITS,
  UriTemplateError,
  type UriTemplateMatch,
  type UriTemplateValue,
} from './uri-template-syntax.ts';

/** An RFC 6570 URI template, parsed once: expand values into a URI or match a URI back to values. */
export class UriTemplate {
  /** Names of the template's variables, each once, in order of first appearance. */
  readonly variableNames: string[];
  readonly #template: string;
  readonly #parts: Part[];
  readonly #tokens: Token[];
  #lenient: Token[] | undefined;

  /** Parses `template`; throws UriTemplateError naming the position of the first problem. */
  constructor(template: string) {
    this.#template = template;
    this.#parts = parse(template);
    this.#tokens = compile(this.#parts, false);
    const names = new Set<string>();
    for (const p of this.#parts) if (typeof p === 'object') for (const v of p.vars) names.add(v.name);
    this.variableNames = [...names];
  }

  /** Expands the template (RFC 6570 levels 1–4); undefined values, empty lists and empty maps are left out. */
  expand(values: Readonly<Record<string, UriTemplateValue>>): string {
    let out = '';
    for (const p of this.#parts) out += typeof p === 'string' ? p : expandExpression(p, values);
    return out;
  }

  /**
   * Reads the variables back out of `uri`, decoded, or returns null when no expansion of the template gives
   * the URI (or it is longer than URI_TEMPLATE_LIMITS.uriLength, non-ASCII characters counted encoded).
   * Expanding the result gives the URI back (normalized), except where `exact` is off and the query was read
   * leniently (see the module comment).
   */
  match(uri: string, options: UriTemplateMatchOptions = {}): UriTemplateMatch | null {
    if (uri.length > URI_TEMPLATE_LIMITS.uriLength) return null;
    const canonical = normalizeUri(uri);
    if (canonical === null || canonical.length > URI_TEMPLATE_LIMITS.uriLength) return null;
    const found = read(this.#tokens, canonical);
    if (found || options.exact) return found;
    const query = this.#parts.some((p) => typeof p === 'object' && (p.op === '?' || p.op === '&'));
    if (!query) return null;
    this.#lenient ??= compile(this.#parts, true);
    return read(this.#lenient, canonical);
  }

  /** The template text as given. */
  toString(): string {
    return this.#template;
  }
}

/** Options of UriTemplate.match. */
export interface UriTemplateMatchOptions {
  /** Match only URIs the template expands to: query params in template order, none repeated or unknown. */
  exact?: boolean;
}

function read(tokens: Token[], uri: string): UriTemplateMatch | null {
  const sinks = run(tokens, uri);
  if (!sinks) return null;
  const out: UriTemplateMatch = {};
  for (const [s, items] of sinks) if (!collect(s, items, out)) return null;
  return out;
}
