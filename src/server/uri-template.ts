/**
 * RFC 6570 URI templates (all four levels) for MCP resource templates: parse once, expand values into a
 * URI, and match a URI back to its values. Matching runs in time linear in the URI length times the
 * (bounded) template size: no backtracking regular expressions.
 *
 * Matching rules, where expansion alone leaves a choice:
 * - `{x}`, `{/x}`, `{.x}` and `{;x}` values never hold a raw '/', '?' or '#', nor a character that a later
 *   part of the template uses as a delimiter; `{+x}` and `{#x}` may span '/' but stop at a later '?', '#', '&'.
 * - `{x}` and `{+x}` must be present and non-empty; `{/x}`, `{.x}`, `{;x}`, `{#x}` and query expressions may
 *   be absent (their variables are then left out of the result).
 * - Query expressions (`{?a,b}` plus adjacent `{&c}`) take their params in any order; unknown params are
 *   ignored and, for a non-exploded variable, the first occurrence wins.
 * - Exploded variables (`{x*}`) come back as arrays, all others as strings (a non-exploded list as its
 *   comma-joined text). A variable used twice must match the same value both times.
 */

import {
  bit,
  collect,
  compile,
  escapeInteriors,
  feasibility,
  inClass,
  type Sink,
  type Token,
} from './uri-template-match.ts';
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

  /** Parses `template`; throws UriTemplateError naming the position of the first problem. */
  constructor(template: string) {
    this.#template = template;
    this.#parts = parse(template);
    this.#tokens = compile(this.#parts);
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
   * Reads the variables back out of `uri`, percent-decoded, or returns null when the URI does not fit the
   * template (or is longer than URI_TEMPLATE_LIMITS.uriLength). When several splits fit, earlier variables
   * take as much as they can. Query expressions accept their params in any order and leave missing ones out.
   */
  match(uri: string): UriTemplateMatch | null {
    if (uri.length > URI_TEMPLATE_LIMITS.uriLength) return null;
    const tokens = this.#tokens;
    const inside = escapeInteriors(uri);
    const table = feasibility(tokens, uri, inside);
    if (!bit(table[0], 0)) return null;
    const captures = new Map<Sink, string>();
    let p = 0;
    let i = 0;
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.kind === 'lit') {
        if (uri.startsWith(t.text, p) && bit(table[i + 1], p + t.text.length)) {
          if (t.preset) captures.set(t.preset, '');
          p += t.text.length;
          i++;
        } else i = t.skip;
        continue;
      }
      let q = p;
      while (q < uri.length && inClass(t, uri, q)) q++;
      while (!bit(table[i + 1], q) || bit(inside, q)) q--;
      captures.set(t.sink, uri.slice(p, q));
      p = q;
      i++;
    }
    const out: UriTemplateMatch = {};
    for (const [s, raw] of captures) if (!collect(s, raw, out)) return null;
    return out;
  }

  /** The template text as given. */
  toString(): string {
    return this.#template;
  }
}
