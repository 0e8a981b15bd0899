/**
 * RFC 6570 URI templates, matching side: the program a template compiles to. Its tokens (literals,
 * captures, forks and jumps) read exactly the set of URIs the template expands to (for string and
 * list values); uri-template-match.ts runs it over a URI.
 */
import {
  type Expression,
  OPERATORS,
  type Part,
  pct,
  pctTriplet,
  RESERVED,
  UNRESERVED,
  utf8,
  type VarSpec,
} from './uri-template-syntax.ts';

/** Where the text read for one occurrence of a variable goes. */
export interface Sink {
  spec: VarSpec;
  /** `;`, `?` and `&` items carry the variable's name. */
  named: boolean;
  /** Reserved expansion (`{+x}`, `{#x}`): values may hold reserved characters raw. */
  reserved: boolean;
  /** Separator of an exploded unnamed list ('', ',', '.', '/'); '' when not exploded or named. */
  split: string;
  /** A non-reserved, non-prefixed, non-exploded variable: a raw ',' separates list items. */
  listy: boolean;
  /** Lenient query bag: the variables of adjacent `{?…}{&…}` expressions, params in any order. */
  bag: VarSpec[] | undefined;
}

/** A literal; `skip` >= 0 makes it optional (the token to continue with when it is left out). */
export interface LitToken {
  kind: 'lit';
  text: string;
  fail: Int32Array;
  skip: number;
  /** `item`: a named item starts here (its value is '' until a capture sets it); `eq`: a `;x=` was read. */
  action: { kind: 'item' | 'eq'; sink: Sink } | undefined;
}
/** A capture of at least `min` characters of its class, at most `prefix` characters when prefix > 0. */
export interface CapToken {
  kind: 'cap';
  allowed: Uint8Array;
  /** Any pct-triplet may appear (reserved); otherwise only well-formed UTF-8 sequences. */
  reserved: boolean;
  min: number;
  prefix: number;
  /** Delimiters the rest of the template supplies: the capture prefers to end before the first of them. */
  soft: Uint8Array;
  sink: Sink;
  /** Sets the value of the last item opened by a literal instead of adding one. */
  set: boolean;
}
/** Either continue with the next token or go to `to`; a backward `to` is a loop to a non-empty literal. */
export interface ForkToken {
  kind: 'fork';
  to: number;
  preferJump: boolean;
}
/** Continue at `to` (forward). */
export interface GotoToken {
  kind: 'goto';
  to: number;
}
export type Token = LitToken | CapToken | ForkToken | GotoToken;

const table = (chars: string, base?: Uint8Array): Uint8Array => {
  const t = new Uint8Array(128);
  if (base) t.set(base);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
};
const PLAIN = table('%', UNRESERVED);
const RESERVED_CLASS = table(
  '%',
  table('', RESERVED).map((v, i) => v | UNRESERVED[i]),
);
const BAG = table('', RESERVED_CLASS);
BAG[0x23] = 0;

export function kmpTable(p: string): Int32Array {
  const f = new Int32Array(p.length);
  for (let i = 1, k = 0; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = f[k - 1];
    if (p[i] === p[k]) k++;
    f[i] = k;
  }
  return f;
}

/**
 * The canonical form URIs are matched in (RFC 3986 section 6.2.2): hex digits upper case, unreserved characters
 * decoded, and characters a URI cannot hold raw (non-ASCII, as RFC 3987 maps IRIs; spaces and the like) encoded
 * as UTF-8. Null when a '%' does not start a triplet or a surrogate is unpaired.
 */
export function normalizeUri(uri: string): string | null {
  let out = '';
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c === 37) {
      if (!pctTriplet(uri, i)) return null;
      const b = Number.parseInt(uri.slice(i + 1, i + 3), 16);
      out += b < 0x80 && UNRESERVED[b] ? String.fromCharCode(b) : pct(b);
      i += 2;
    } else if (c < 0x80) out += UNRESERVED[c] || RESERVED[c] ? uri[i] : pct(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = uri.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return null;
      out += utf8(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
      i++;
    } else out += utf8(c);
  }
  return out;
}

/** Variables of the expressions after part `k` and the delimiters that they and later literals supply. */
function laterDelimiters(parts: Part[]): string[] {
  const later: string[] = [];
  let seen = '';
  for (let k = parts.length - 1; k >= 0; k--) {
    later[k] = seen;
    const p = parts[k];
    const chars =
      typeof p === 'string'
        ? [...p].filter((ch) => RESERVED[ch.charCodeAt(0)]).join('')
        : OPERATORS[p.op].first;
    for (const ch of chars) if (!seen.includes(ch)) seen += ch;
  }
  return later;
}

/**
 * Compiles parts into tokens. `lenient` reads query expressions as a bag of params in any order (unknown
 * ones ignored); otherwise only as the template expands them.
 */
export function compile(parts: Part[], lenient: boolean): Token[] {
  const tokens: Token[] = [];
  const lit = (text: string, action?: LitToken['action']): LitToken => {
    const t: LitToken = {
      kind: 'lit',
      text: normalizeUri(text) ?? text,
      fail: kmpTable(''),
      skip: -1,
      action,
    };
    t.fail = kmpTable(t.text);
    tokens.push(t);
    return t;
  };
  const later = laterDelimiters(parts);
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p === 'string') {
      lit(p);
      continue;
    }
    const o = OPERATORS[p.op];
    if (lenient && (p.op === '?' || p.op === '&')) {
      const vars = [...p.vars];
      while (k + 1 < parts.length && (parts[k + 1] as Expression).op === '&')
        vars.push(...(parts[++k] as Expression).vars);
      const g = lit(p.op);
      const sink: Sink = { spec: vars[0], named: true, reserved: false, split: '', listy: false, bag: vars };
      tokens.push({
        kind: 'cap',
        allowed: BAG,
        reserved: true,
        min: 0,
        prefix: 0,
        soft: table(''),
        sink,
        set: false,
      });
      g.skip = tokens.length;
      continue;
    }
    const softFor = (n: number, own: string, reserved: boolean): Uint8Array => {
      let chars = later[k] + (n < p.vars.length - 1 ? o.sep : '');
      if (reserved) chars = chars.replace(/[^?#&,]/g, '');
      for (const ch of own) chars = chars.replaceAll(ch, '');
      return table(chars);
    };
    const sinkOf = (v: VarSpec): Sink => ({
      spec: v,
      named: o.named,
      reserved: o.reserved,
      split: v.explode && !o.named ? o.sep : '',
      listy: !o.reserved && !v.explode && v.prefix === 0,
      bag: undefined,
    });
    /** Tokens of one variable's item, after the text `lead` (its separator or the expression's first). */
    const item = (v: VarSpec, n: number, lead: string, optional: boolean): void => {
      const s = sinkOf(v);
      const own = s.split + (s.listy ? ',' : '');
      const allowed = table(own, o.reserved ? RESERVED_CLASS : PLAIN);
      const soft = softFor(n, s.split, o.reserved);
      const cap = (min: number, set: boolean): void => {
        tokens.push({
          kind: 'cap',
          allowed,
          reserved: o.reserved,
          min,
          prefix: v.prefix,
          soft,
          sink: s,
          set,
        });
      };
      let first: LitToken | undefined;
      if (!o.named) {
        if (lead !== '') first = lit(lead);
        cap(p.op === '' || p.op === '+' ? 1 : 0, false);
      } else if (o.ifemp === '=') {
        // `?` and `&`: every item is name=value.
        first = lit(`${lead}${v.name}=`, { kind: 'item', sink: s });
        cap(0, true);
        if (v.explode) {
          const again = lit(`${o.sep}${v.name}=`, { kind: 'item', sink: s });
          cap(0, true);
          tokens.push({ kind: 'fork', to: tokens.indexOf(again), preferJump: true });
          again.skip = tokens.length;
        }
      } else {
        // `;`: name alone for an empty string, name=value otherwise (a list of one empty string: name=).
        const open = lit(`${lead}${v.name}`, { kind: 'item', sink: s });
        first = open;
        const eq = lit('=', { kind: 'eq', sink: s });
        cap(v.explode || v.prefix > 0 ? 1 : 0, true);
        eq.skip = tokens.length;
        if (v.explode) {
          const again = lit(`${o.sep}${v.name}`, { kind: 'item', sink: s });
          const eq2 = lit('=', { kind: 'eq', sink: s });
          cap(1, true);
          eq2.skip = tokens.length;
          tokens.push({ kind: 'fork', to: tokens.indexOf(again), preferJump: true });
          again.skip = tokens.length;
        }
      }
      if (optional && first) first.skip = tokens.length;
    };
    if (p.op === '' || p.op === '+') {
      p.vars.forEach((v, n) => {
        item(v, n, n > 0 ? ',' : '', false);
      });
    } else if (o.first === o.sep) {
      p.vars.forEach((v, n) => {
        item(v, n, o.sep, true);
      });
    } else {
      // `{?a,b}` and `{#a,b}`: the first variable present follows the operator, later ones a separator.
      const g = lit(o.first);
      const gotos: GotoToken[] = [];
      const forks: ForkToken[] = [];
      p.vars.forEach((v, n) => {
        for (const f of forks.splice(0)) f.to = tokens.length;
        if (n < p.vars.length - 1) {
          const f: ForkToken = { kind: 'fork', to: -1, preferJump: false };
          tokens.push(f);
          forks.push(f);
        }
        item(v, n, '', false);
        const j: GotoToken = { kind: 'goto', to: -1 };
        tokens.push(j);
        gotos.push(j);
      });
      const rest: number[] = [];
      p.vars.forEach((v, n) => {
        rest[n] = tokens.length;
        if (n === 0) return;
        if (o.named) item(v, n, o.sep, true);
        else {
          const sep = lit(o.sep);
          item(v, n, '', false);
          sep.skip = tokens.length;
        }
      });
      gotos.forEach((j, n) => {
        j.to = n + 1 < p.vars.length ? rest[n + 1] : tokens.length;
      });
      g.skip = tokens.length;
    }
  }
  return tokens;
}

/** A bitset over URI positions 0..n. */
