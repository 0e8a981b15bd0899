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

/** Size limits that keep parsing and matching cheap on hostile input. */
export const URI_TEMPLATE_LIMITS = {
  /** Longest template accepted, in UTF-16 code units. */
  templateLength: 8192,
  /** Most expressions (`{...}`) in one template. */
  expressions: 64,
  /** Most variables across all expressions of one template. */
  variables: 128,
  /** Longest URI that `match` examines; longer URIs do not match. */
  uriLength: 65536,
} as const;

/** A value to expand: a string, a list, or an associative array (RFC 6570 section 2.3). */
export type UriTemplateValue = string | readonly string[] | Readonly<Record<string, string>> | undefined;

/** Values read back from a URI: exploded variables (`{x*}`) give arrays, all others strings. */
export type UriTemplateMatch = Record<string, string | string[]>;

/** A malformed template: names the template and the 0-based position of the problem. */
export class UriTemplateError extends Error {
  /** The template that failed to parse. */
  readonly template: string;
  /** 0-based offset into the template where the problem is. */
  readonly position: number;
  constructor(template: string, position: number, problem: string) {
    const shown = template.length > 200 ? `${template.slice(0, 200)}…` : template;
    super(`Invalid URI template ${JSON.stringify(shown)} at position ${position}: ${problem}`);
    this.name = 'UriTemplateError';
    this.template = template;
    this.position = position;
  }
}

interface VarSpec {
  name: string;
  prefix: number;
  explode: boolean;
}
interface Expression {
  op: string;
  vars: VarSpec[];
}
type Part = string | Expression;

interface Operator {
  first: string;
  sep: string;
  named: boolean;
  ifemp: string;
  reserved: boolean;
}
const op = (first: string, sep: string, named: boolean, ifemp: string, reserved: boolean): Operator => ({
  first,
  sep,
  named,
  ifemp,
  reserved,
});
const OPERATORS: Record<string, Operator> = {
  '': op('', ',', false, '', false),
  '+': op('', ',', false, '', true),
  '#': op('#', ',', false, '', true),
  '.': op('.', '.', false, '', false),
  '/': op('/', '/', false, '', false),
  ';': op(';', ';', true, '', false),
  '?': op('?', '&', true, '=', false),
  '&': op('&', '&', true, '=', false),
};

const asciiTable = (chars: string, ranges: [number, number][] = []): Uint8Array => {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  for (const [lo, hi] of ranges) t.fill(1, lo, hi + 1);
  return t;
};
const ALNUM: [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
];
const UNRESERVED = asciiTable('-._~', ALNUM);
const RESERVED = asciiTable(":/?#[]@!$&'()*+,;=");
const VARCHAR = asciiTable('_', ALNUM);
/** ASCII allowed as template literals (RFC 6570 section 2.1), `%` aside. */
const LITERAL = asciiTable('', [[0x21, 0x7e]]);
for (const ch of `"'%<>\\^\`{|}`) LITERAL[ch.charCodeAt(0)] = 0;

const HEX = '0123456789ABCDEF';
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const pctTriplet = (s: string, i: number): boolean =>
  s.charCodeAt(i) === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2));
const pct = (b: number): string => '%' + HEX[b >> 4] + HEX[b & 15];

function utf8(cp: number): string {
  if (cp < 0x800) return pct(0xc0 | (cp >> 6)) + pct(0x80 | (cp & 63));
  if (cp < 0x10000) return pct(0xe0 | (cp >> 12)) + pct(0x80 | ((cp >> 6) & 63)) + pct(0x80 | (cp & 63));
  return (
    pct(0xf0 | (cp >> 18)) +
    pct(0x80 | ((cp >> 12) & 63)) +
    pct(0x80 | ((cp >> 6) & 63)) +
    pct(0x80 | (cp & 63))
  );
}

/** Percent-encodes everything outside unreserved (plus reserved and pct-triplets when `reserved`). */
function encode(value: string, reserved: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) {
      if (UNRESERVED[c] || (reserved && RESERVED[c])) out += value[i];
      else if (reserved && pctTriplet(value, i)) {
        out += value.slice(i, i + 3);
        i += 2;
      } else out += pct(c);
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = value.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      } else cp = 0xfffd;
    }
    out += utf8(cp);
  }
  return out;
}

/** The first `max` characters (code points; a pct-triplet counts as one under reserved expansion). */
function truncate(value: string, max: number, reserved: boolean): string {
  let i = 0;
  for (let count = 0; count < max && i < value.length; count++) {
    const c = value.charCodeAt(i);
    if (reserved && pctTriplet(value, i)) i += 3;
    else if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i += 2;
    else i += 1;
  }
  return value.slice(0, i);
}

function parse(template: string): Part[] {
  const fail = (at: number, problem: string): never => {
    throw new UriTemplateError(template, at, problem);
  };
  if (template.length > URI_TEMPLATE_LIMITS.templateLength) {
    fail(URI_TEMPLATE_LIMITS.templateLength, `longer than ${URI_TEMPLATE_LIMITS.templateLength} characters`);
  }
  const parts: Part[] = [];
  let literal = '';
  let expressions = 0;
  let variables = 0;
  let i = 0;
  while (i < template.length) {
    const c = template.charCodeAt(i);
    if (c === 0x7b) {
      const close = scanExpression(template, i, fail);
      if (++expressions > URI_TEMPLATE_LIMITS.expressions) {
        fail(i, `more than ${URI_TEMPLATE_LIMITS.expressions} expressions`);
      }
      const expr = parseExpression(template, i + 1, close, fail);
      variables += expr.vars.length;
      if (variables > URI_TEMPLATE_LIMITS.variables)
        fail(i, `more than ${URI_TEMPLATE_LIMITS.variables} variables`);
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(expr);
      i = close + 1;
    } else if (c === 0x25) {
      if (!pctTriplet(template, i)) fail(i, "'%' must start a percent-encoded triplet such as %2F");
      literal += template.slice(i, i + 3);
      i += 3;
    } else if (c < 0x80) {
      if (!LITERAL[c])
        fail(i, `character ${JSON.stringify(template[i])} is not allowed outside an expression`);
      literal += template[i];
      i++;
    } else {
      const wide = c >= 0xd800 && c <= 0xdbff && (template.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      literal += encode(template.slice(i, i + wide), true);
      i += wide;
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/** Finds the `}` closing the expression opened at `open`. */
function scanExpression(t: string, open: number, fail: (at: number, problem: string) => never): number {
  for (let j = open + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x7d) return j;
    if (c === 0x7b) fail(j, "'{' inside an expression");
  }
  return fail(open, "expression is not closed with '}'");
}

function parseExpression(
  t: string,
  start: number,
  end: number,
  fail: (at: number, p: string) => never,
): Expression {
  let i = start;
  let opChar = '';
  if (i < end && '+#./;?&'.includes(t[i])) opChar = t[i++];
  else if (i < end && '=,!@|'.includes(t[i])) fail(i, `operator '${t[i]}' is reserved for future extensions`);
  const vars: VarSpec[] = [];
  for (;;) {
    const nameStart = i;
    for (;;) {
      const segment = i;
      while (i < end) {
        if (pctTriplet(t, i)) i += 3;
        else if (t.charCodeAt(i) < 0x80 && VARCHAR[t.charCodeAt(i)]) i++;
        else break;
      }
      if (i === segment)
        fail(i, i === nameStart ? 'expected a variable name' : "'.' must be followed by a name");
      if (i < end && t[i] === '.') i++;
      else break;
    }
    const spec: VarSpec = { name: t.slice(nameStart, i), prefix: 0, explode: false };
    if (i < end && t[i] === '*') {
      spec.explode = true;
      i++;
    } else if (i < end && t[i] === ':') {
      const digitsStart = ++i;
      while (i < end && i - digitsStart < 5 && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
      const digits = t.slice(digitsStart, i);
      if (digits === '' || digits[0] === '0' || digits.length > 4) {
        fail(digitsStart, 'prefix length must be an integer from 1 to 9999');
      }
      spec.prefix = Number(digits);
    }
    vars.push(spec);
    if (i === end) return { op: opChar, vars };
    if (t[i] !== ',') fail(i, `unexpected ${JSON.stringify(t[i])} in expression`);
    i++;
  }
}

function expandExpression(expr: Expression, values: Readonly<Record<string, UriTemplateValue>>): string {
  const o = OPERATORS[expr.op];
  let out = '';
  let first = true;
  for (const spec of expr.vars) {
    const text = Object.hasOwn(values, spec.name) ? expandValue(spec, values[spec.name], o) : undefined;
    if (text === undefined) continue;
    out += (first ? o.first : o.sep) + text;
    first = false;
  }
  return out;
}

const isList = (v: unknown): v is readonly string[] => Array.isArray(v);

function expandValue(spec: VarSpec, value: UriTemplateValue | null, o: Operator): string | undefined {
  if (value === undefined || value === null) return undefined;
  const enc = (s: unknown): string => encode(String(s), o.reserved);
  if (typeof value !== 'object') {
    const v = enc(spec.prefix > 0 ? truncate(String(value), spec.prefix, o.reserved) : value);
    return o.named ? spec.name + (v === '' ? o.ifemp : '=' + v) : v;
  }
  if (spec.prefix > 0) {
    throw new Error(
      `URI template variable "${spec.name}" has a prefix modifier but its value is not a string`,
    );
  }
  const defined = (v: unknown): boolean => v !== undefined && v !== null;
  const items = isList(value) ? value.filter(defined).map(enc) : null;
  const pairs = isList(value)
    ? []
    : Object.entries(value)
        .filter(([, v]) => defined(v))
        .map(([k, v]) => [enc(k), enc(v)] as const);
  if (items ? items.length === 0 : pairs.length === 0) return undefined;
  if (!spec.explode) {
    const joined = items ? items.join(',') : pairs.map(([k, v]) => k + ',' + v).join(',');
    return o.named ? spec.name + '=' + joined : joined;
  }
  if (items) return items.map((v) => (o.named ? spec.name + (v === '' ? o.ifemp : '=' + v) : v)).join(o.sep);
  return pairs.map(([k, v]) => k + (o.named && v === '' ? o.ifemp : '=' + v)).join(o.sep);
}

/** Where a capture's text goes: one variable (optionally split into a list), or a bag of query params. */
interface Sink {
  vars: VarSpec[];
  query: boolean;
  split: string;
  named: boolean;
}
interface LitToken {
  kind: 'lit';
  text: string;
  /** KMP failure table of `text`. */
  fail: Int32Array;
  /** Token to continue with when this optional group is left out, or -1 if the token is required. */
  skip: number;
  /** A named `;` variable present without `=value` is the empty string. */
  preset: Sink | undefined;
}
interface CapToken {
  kind: 'cap';
  excluded: Uint8Array;
  min: number;
  sink: Sink;
}
type Token = LitToken | CapToken;

const masks = new Map<string, Uint8Array>();
const mask = (chars: string): Uint8Array => {
  const m = masks.get(chars) ?? asciiTable(chars);
  masks.set(chars, m);
  return m;
};

function kmpTable(p: string): Int32Array {
  const f = new Int32Array(p.length);
  for (let i = 1, k = 0; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = f[k - 1];
    if (p[i] === p[k]) k++;
    f[i] = k;
  }
  return f;
}

/** Compiles the parts into a flat token list; optional groups start with a literal that can be skipped. */
function compile(parts: Part[]): Token[] {
  const tokens: Token[] = [];
  const lit = (text: string, optional = false, preset?: Sink): LitToken => {
    const t: LitToken = { kind: 'lit', text, fail: kmpTable(text), skip: optional ? -2 : -1, preset };
    tokens.push(t);
    return t;
  };
  const cap = (excluded: string, keep: string, min: number, sink: Sink): void => {
    let chars = '';
    for (const ch of excluded) if (!keep.includes(ch)) chars += ch;
    tokens.push({ kind: 'cap', excluded: mask(chars), min, sink });
  };
  const endGroup = (start: LitToken): void => {
    start.skip = tokens.length;
  };
  const sink = (v: VarSpec, split = '', named = false): Sink => ({ vars: [v], query: false, split, named });
  // Delimiters that later parts of the template supply: reserved characters of literals, and the leading
  // character of expressions. Non-reserved values never swallow them (expansion would have encoded them, and
  // a later optional `{.x}` gets its '.'); reserved values only keep clear of '?', '#' and '&'.
  const later: string[] = [];
  let seen = '';
  for (let k = parts.length - 1; k >= 0; k--) {
    later[k] = seen;
    const p = parts[k];
    for (const ch of typeof p === 'string' ? p : OPERATORS[p.op].first) {
      if ((RESERVED[ch.charCodeAt(0)] || typeof p === 'object') && !seen.includes(ch)) seen += ch;
    }
  }
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p === 'string') {
      lit(p);
      continue;
    }
    const multi = p.vars.length > 1;
    const after = later[k];
    if (p.op === '?' || p.op === '&') {
      // Adjacent `{&...}` expressions join this one: their params may come in any order.
      const vars = [...p.vars];
      while (k + 1 < parts.length && (parts[k + 1] as Expression).op === '&') {
        vars.push(...(parts[++k] as Expression).vars);
      }
      const g = lit(p.op, true);
      cap('#', '', 0, { vars, query: true, split: '', named: false });
      endGroup(g);
    } else if (p.op === '' || p.op === '+' || p.op === '#') {
      const base = p.op === '' ? '/?#' + after : after.replace(/[^?#&]/g, '');
      const g = p.op === '#' ? lit('#', true) : undefined;
      p.vars.forEach((v, n) => {
        if (n > 0) lit(',');
        cap(base + (multi ? ',' : ''), v.explode ? ',' : '', 1, sink(v, v.explode ? ',' : ''));
      });
      if (g) endGroup(g);
    } else if (p.op === '/' || p.op === '.') {
      for (const v of p.vars) {
        const g = lit(p.op, true);
        // Several `.` values split on '.'; a single one may hold it (it is unreserved).
        const sep = p.op === '.' && multi ? '.' : '';
        cap('/?#' + after + sep, v.explode ? p.op : '', 1, sink(v, v.explode ? p.op : ''));
        endGroup(g);
      }
    } else {
      for (const v of p.vars) {
        if (v.explode) {
          const g = lit(';', true);
          cap('/?#' + after, ';=', 1, sink(v, ';', true));
          endGroup(g);
          continue;
        }
        const s = sink(v);
        const g = lit(';' + v.name, true, s);
        const eq = lit('=', true);
        cap('/?#;' + after, '', 0, s);
        endGroup(eq);
        endGroup(g);
      }
    }
  }
  return tokens;
}

const bit = (bs: Uint32Array, p: number): boolean => ((bs[p >>> 5] >>> (p & 31)) & 1) === 1;
const setBit = (bs: Uint32Array, p: number): void => {
  bs[p >>> 5] |= 1 << (p & 31);
};
const inClass = (t: CapToken, uri: string, p: number): boolean => {
  const c = uri.charCodeAt(p);
  return c >= 0x80 || t.excluded[c] === 0;
};

/**
 * feasible[i] has bit p set when tokens i.. can match exactly uri[p..]. Computed right to left: each
 * token costs O(uri length), literals via KMP, so the whole table is O(tokens × length).
 */
function feasibility(tokens: Token[], uri: string, inside: Uint32Array): Uint32Array[] {
  const n = uri.length;
  const words = (n >>> 5) + 1;
  const table: Uint32Array[] = new Array(tokens.length + 1);
  table[tokens.length] = new Uint32Array(words);
  setBit(table[tokens.length], n);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    const next = table[i + 1];
    const here = new Uint32Array(words);
    if (t.kind === 'lit') {
      const m = t.text.length;
      for (let p = 0, k = 0; p < n; p++) {
        while (k > 0 && uri[p] !== t.text[k]) k = t.fail[k - 1];
        if (uri[p] === t.text[k]) k++;
        if (k === m) {
          if (bit(next, p + 1)) setBit(here, p + 1 - m);
          k = t.fail[k - 1];
        }
      }
      if (t.skip >= 0) for (let w = 0; w < words; w++) here[w] |= table[t.skip][w];
    } else {
      // run: some capture from p, ending at a boundary where the rest can match, stays inside the class.
      let run = false;
      for (let p = n - 1; p >= 0; p--) {
        run = inClass(t, uri, p) && (run || (bit(next, p + 1) && !bit(inside, p + 1)));
        if (!bit(inside, p) && (run || (t.min === 0 && bit(next, p)))) setBit(here, p);
      }
      if (t.min === 0 && bit(next, n)) setBit(here, n);
    }
    table[i] = here;
  }
  return table;
}

/** Positions a capture may not start or end at: within a %XX triplet or a multi-byte UTF-8 sequence. */
function escapeInteriors(uri: string): Uint32Array {
  const inside = new Uint32Array((uri.length >>> 5) + 1);
  let afterTriplet = -1;
  for (let i = uri.indexOf('%'); i >= 0 && i < uri.length; ) {
    if (!pctTriplet(uri, i)) {
      i = uri.indexOf('%', i + 1);
      continue;
    }
    const continuation = '89abAB'.includes(uri[i + 1]);
    if (continuation && afterTriplet === i) setBit(inside, i);
    setBit(inside, i + 1);
    setBit(inside, i + 2);
    afterTriplet = i + 3;
    i = uri.charCodeAt(i + 3) === 37 ? i + 3 : uri.indexOf('%', i + 3);
  }
  return inside;
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function assign(out: UriTemplateMatch, name: string, value: string | string[]): boolean {
  if (!Object.hasOwn(out, name)) {
    out[name] = value;
    return true;
  }
  return JSON.stringify(out[name]) === JSON.stringify(value);
}

/** Turns one capture into variables; false when its text does not fit after all. */
function collect(s: Sink, raw: string, out: UriTemplateMatch): boolean {
  if (s.query) return collectQuery(s.vars, raw, out);
  const v = s.vars[0];
  if (!s.split) {
    const value = decode(raw);
    return value !== undefined && assign(out, v.name, value);
  }
  const list: string[] = [];
  for (let item of raw.split(s.split)) {
    if (s.named) {
      if (item === v.name) item = '';
      else if (item.startsWith(v.name + '=')) item = item.slice(v.name.length + 1);
      else return false;
    }
    const value = decode(item);
    if (value === undefined) return false;
    list.push(value);
  }
  return assign(out, v.name, list);
}

function collectQuery(vars: VarSpec[], raw: string, out: UriTemplateMatch): boolean {
  const wanted = new Map(vars.map((v) => [v.name, v]));
  const found = new Map<string, string | string[]>();
  for (const param of raw.split('&')) {
    const eq = param.indexOf('=');
    const spec = wanted.get(eq < 0 ? param : param.slice(0, eq));
    if (!spec) continue;
    const value = decode(eq < 0 ? '' : param.slice(eq + 1));
    if (value === undefined) return false;
    const prior = found.get(spec.name);
    if (!spec.explode) {
      if (prior === undefined) found.set(spec.name, value);
    } else if (Array.isArray(prior)) prior.push(value);
    else found.set(spec.name, [value]);
  }
  for (const v of vars) {
    const value = found.get(v.name);
    if (value !== undefined && !assign(out, v.name, value)) return false;
  }
  return true;
}

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
