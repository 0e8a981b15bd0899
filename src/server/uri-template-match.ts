/** RFC 6570 URI templates: matching a URI back to its variables, without backtracking. */
import {
  asciiTable,
  type Expression,
  OPERATORS,
  type Part,
  pctTriplet,
  RESERVED,
  type UriTemplateMatch,
  type VarSpec,
} from './uri-template-syntax.ts';
/** Where a capture's text goes: one variable (optionally split into a list), or a bag of query params. */
export interface Sink {
  vars: VarSpec[];
  query: boolean;
  split: string;
  named: boolean;
}
export interface LitToken {
  kind: 'lit';
  text: string;
  /** KMP failure table of `text`. */
  fail: Int32Array;
  /** Token to continue with when this optional group is left out, or -1 if the token is required. */
  skip: number;
  /** A named `;` variable present without `=value` is the empty string. */
  preset: Sink | undefined;
}
export interface CapToken {
  kind: 'cap';
  excluded: Uint8Array;
  min: number;
  sink: Sink;
}
export type Token = LitToken | CapToken;

export const masks = new Map<string, Uint8Array>();
export const mask = (chars: string): Uint8Array => {
  const m = masks.get(chars) ?? asciiTable(chars);
  masks.set(chars, m);
  return m;
};

export function kmpTable(p: string): Int32Array {
  const f = new Int32Array(p.length);
  for (let i = 1, k = 0; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = f[k - 1];
    if (p[i] === p[k]) k++;
    f[i] = k;
  }
  return f;
}

/** Compiles the parts into a flat token list; optional groups start with a literal that can be skipped. */
export function compile(parts: Part[]): Token[] {
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

export const bit = (bs: Uint32Array, p: number): boolean => ((bs[p >>> 5] >>> (p & 31)) & 1) === 1;
export const setBit = (bs: Uint32Array, p: number): void => {
  bs[p >>> 5] |= 1 << (p & 31);
};
export const inClass = (t: CapToken, uri: string, p: number): boolean => {
  const c = uri.charCodeAt(p);
  return c >= 0x80 || t.excluded[c] === 0;
};

/**
 * feasible[i] has bit p set when tokens i.. can match exactly uri[p..]. Computed right to left: each
 * token costs O(uri length), literals via KMP, so the whole table is O(tokens × length).
 */
export function feasibility(tokens: Token[], uri: string, inside: Uint32Array): Uint32Array[] {
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
export function escapeInteriors(uri: string): Uint32Array {
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

export function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function assign(out: UriTemplateMatch, name: string, value: string | string[]): boolean {
  if (!Object.hasOwn(out, name)) {
    out[name] = value;
    return true;
  }
  return JSON.stringify(out[name]) === JSON.stringify(value);
}

/** Turns one capture into variables; false when its text does not fit after all. */
export function collect(s: Sink, raw: string, out: UriTemplateMatch): boolean {
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

export function collectQuery(vars: VarSpec[], raw: string, out: UriTemplateMatch): boolean {
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
