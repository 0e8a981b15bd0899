/** RFC 6570 URI templates: syntax, limits, parsing and expansion. */
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

export interface VarSpec {
  name: string;
  prefix: number;
  explode: boolean;
}
export interface Expression {
  op: string;
  vars: VarSpec[];
}
export type Part = string | Expression;

export interface Operator {
  first: string;
  sep: string;
  named: boolean;
  ifemp: string;
  reserved: boolean;
}
export const op = (
  first: string,
  sep: string,
  named: boolean,
  ifemp: string,
  reserved: boolean,
): Operator => ({
  first,
  sep,
  named,
  ifemp,
  reserved,
});
export const OPERATORS: Record<string, Operator> = {
  '': op('', ',', false, '', false),
  '+': op('', ',', false, '', true),
  '#': op('#', ',', false, '', true),
  '.': op('.', '.', false, '', false),
  '/': op('/', '/', false, '', false),
  ';': op(';', ';', true, '', false),
  '?': op('?', '&', true, '=', false),
  '&': op('&', '&', true, '=', false),
};

export const asciiTable = (chars: string, ranges: [number, number][] = []): Uint8Array => {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  for (const [lo, hi] of ranges) t.fill(1, lo, hi + 1);
  return t;
};
export const ALNUM: [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
];
export const UNRESERVED = asciiTable('-._~', ALNUM);
export const RESERVED = asciiTable(":/?#[]@!$&'()*+,;=");
export const VARCHAR = asciiTable('_', ALNUM);
/** ASCII allowed as template literals (RFC 6570 section 2.1), `%` aside. */
export const LITERAL = asciiTable('', [[0x21, 0x7e]]);
for (const ch of `"'%<>\\^\`{|}`) LITERAL[ch.charCodeAt(0)] = 0;

export const HEX = '0123456789ABCDEF';
export const isHex = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
export const pctTriplet = (s: string, i: number): boolean =>
  s.charCodeAt(i) === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2));
export const pct = (b: number): string => '%' + HEX[b >> 4] + HEX[b & 15];

export function utf8(cp: number): string {
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
export function encode(value: string, reserved: boolean): string {
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
export function truncate(value: string, max: number, reserved: boolean): string {
  let i = 0;
  for (let count = 0; count < max && i < value.length; count++) {
    const c = value.charCodeAt(i);
    if (reserved && pctTriplet(value, i)) i += 3;
    else if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i += 2;
    else i += 1;
  }
  return value.slice(0, i);
}

export function parse(template: string): Part[] {
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
export function scanExpression(
  t: string,
  open: number,
  fail: (at: number, problem: string) => never,
): number {
  for (let j = open + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x7d) return j;
    if (c === 0x7b) fail(j, "'{' inside an expression");
  }
  return fail(open, "expression is not closed with '}'");
}

export function parseExpression(
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

export function expandExpression(
  expr: Expression,
  values: Readonly<Record<string, UriTemplateValue>>,
): string {
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

export const isList = (v: unknown): v is readonly string[] => Array.isArray(v);

export function expandValue(spec: VarSpec, value: UriTemplateValue | null, o: Operator): string | undefined {
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
