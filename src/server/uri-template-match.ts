/**
 * RFC 6570 URI templates: matching a URI back to its variables, without backtracking.
 *
 * A template compiles (uri-template-compile.ts) to a small program of tokens (literals, captures, forks and jumps) whose language is
 * exactly the set of URIs the template expands to (for string and list values). Matching first marks, right to
 * left, every (token, position) from which the rest of the URI can be read; then one left-to-right walk picks,
 * at each capture, the longest feasible end (preferring one before the next delimiter the template supplies),
 * so it never has to undo a choice. Both passes are O(tokens × URI length).
 */

import { type CapToken, type LitToken, normalizeUri, type Sink, type Token } from './uri-template-compile.ts';
import {
  encode,
  isHex,
  RESERVED,
  truncate,
  type UriTemplateMatch,
  type VarSpec,
} from './uri-template-syntax.ts';

const bits = (n: number): Uint32Array => new Uint32Array((n >>> 5) + 1);
const bit = (bs: Uint32Array, p: number): boolean => ((bs[p >>> 5] >>> (p & 31)) & 1) === 1;
const setBit = (bs: Uint32Array, p: number): void => {
  bs[p >>> 5] |= 1 << (p & 31);
};

/** What is known about each position of a normalized URI. */
interface Layout {
  uri: string;
  /** Inside a pct-triplet (on one of its hex digits). */
  mid: Uint8Array;
  /** A triplet continuing a well-formed UTF-8 sequence (a value may not start or end there). */
  inner: Uint8Array;
  /** A triplet that is part of a well-formed UTF-8 sequence. */
  good: Uint8Array;
  /** Characters (code points, a triplet of a broken sequence counting one) before each position. */
  units: Int32Array;
}

const continuation = (b: number, lo = 0x80, hi = 0xbf): boolean => b >= lo && b <= hi;

function layout(uri: string): Layout {
  const n = uri.length;
  const mid = new Uint8Array(n + 1);
  const inner = new Uint8Array(n + 1);
  const good = new Uint8Array(n + 1);
  const byteAt = (i: number): number =>
    uri.charCodeAt(i) === 37 ? Number.parseInt(uri.slice(i + 1, i + 3), 16) : -1;
  for (let i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 3)) {
    mid[i + 1] = 1;
    mid[i + 2] = 1;
    if (good[i]) continue;
    const b = byteAt(i);
    // Unicode Table 3-7, as decodeURIComponent reads it.
    let len = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    }
    let ok = len > 0;
    for (let k = 1; ok && k < len; k++) {
      const c = byteAt(i + 3 * k);
      ok = k === 1 ? continuation(c, lo, hi) : continuation(c);
    }
    if (!ok) continue;
    for (let k = 0; k < len; k++) {
      good[i + 3 * k] = 1;
      if (k > 0) inner[i + 3 * k] = 1;
    }
  }
  const units = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) units[p + 1] = units[p] + (mid[p] || inner[p] ? 0 : 1);
  return { uri, mid, inner, good, units };
}

/** Literal occurrences: bit p set when `text` starts at p. */
function occurrences(t: LitToken, uri: string): Uint32Array {
  const here = bits(uri.length);
  const m = t.text.length;
  if (m === 0) {
    here.fill(0xffffffff);
    return here;
  }
  for (let p = 0, k = 0; p < uri.length; p++) {
    while (k > 0 && uri[p] !== t.text[k]) k = t.fail[k - 1];
    if (uri[p] === t.text[k]) k++;
    if (k === m) {
      setBit(here, p + 1 - m);
      k = t.fail[k - 1];
    }
  }
  return here;
}

const cutOk = (t: CapToken, L: Layout, p: number): boolean =>
  !L.mid[p] && (!L.inner[p] || (t.reserved && t.prefix === 0));
const inClass = (t: CapToken, L: Layout, p: number): boolean => {
  const c = L.uri.charCodeAt(p);
  return t.allowed[c] === 1 && (c !== 37 || t.reserved || L.good[p] === 1);
};

/** One event of the walk: a capture's text or the opening of a named item. */
interface Items {
  raw: string[];
  eq: boolean[];
}

/** Matches a normalized URI against a program; the raw text of each sink, or null. */
export function run(tokens: Token[], uri: string): Map<Sink, Items> | null {
  const n = uri.length;
  const L = layout(uri);
  const T = tokens.length;
  const F: Uint32Array[] = Array.from({ length: T + 1 }, () => bits(n));
  setBit(F[T], n);
  const occ = tokens.map((t) => (t.kind === 'lit' ? occurrences(t, uri) : undefined));
  const near = new Int32Array(T).fill(-1);
  const litAt = (i: number, p: number): boolean => {
    const t = tokens[i] as LitToken;
    return bit(occ[i] as Uint32Array, p) && p + t.text.length <= n && bit(F[i + 1], p + t.text.length);
  };
  for (let p = n; p >= 0; p--) {
    for (let i = T - 1; i >= 0; i--) {
      const t = tokens[i];
      let v: boolean;
      if (t.kind === 'lit') v = litAt(i, p) || (t.skip >= 0 && bit(F[t.skip], p));
      else if (t.kind === 'fork') v = bit(F[i + 1], p) || (t.to > i ? bit(F[t.to], p) : litAt(t.to, p));
      else if (t.kind === 'goto') v = bit(F[t.to], p);
      else {
        // near: the closest end q > p that the rest can follow, with uri[p..q) inside the class.
        if (p < n && inClass(t, L, p)) {
          if (bit(F[i + 1], p + 1) && cutOk(t, L, p + 1)) near[i] = p + 1;
        } else near[i] = -1;
        const fits = near[i] >= 0 && (t.prefix === 0 || L.units[near[i]] - L.units[p] <= t.prefix);
        v = cutOk(t, L, p) && (fits || (t.min === 0 && bit(F[i + 1], p)));
      }
      if (v) setBit(F[i], p);
    }
  }
  if (!bit(F[0], 0)) return null;
  const out = new Map<Sink, Items>();
  const itemsOf = (s: Sink): Items => {
    let items = out.get(s);
    if (!items) {
      items = { raw: [], eq: [] };
      out.set(s, items);
    }
    return items;
  };
  let p = 0;
  let i = 0;
  while (i < T) {
    const t = tokens[i];
    if (t.kind === 'goto') i = t.to;
    else if (t.kind === 'fork') {
      const jump = t.to > i ? bit(F[t.to], p) : litAt(t.to, p);
      i = (t.preferJump ? jump : !bit(F[i + 1], p)) ? t.to : i + 1;
    } else if (t.kind === 'lit') {
      if (!litAt(i, p)) {
        i = t.skip;
        continue;
      }
      if (t.action?.kind === 'item') {
        const items = itemsOf(t.action.sink);
        items.raw.push('');
        items.eq.push(false);
      } else if (t.action) itemsOf(t.action.sink).eq[itemsOf(t.action.sink).eq.length - 1] = true;
      p += t.text.length;
      i++;
    } else {
      let best = -1;
      let soft = -1;
      let clean = true;
      for (let q = p; q <= n; q++) {
        if (t.prefix > 0 && L.units[q] - L.units[p] > t.prefix) break;
        if (q - p >= t.min && bit(F[i + 1], q) && cutOk(t, L, q)) {
          best = q;
          if (clean) soft = q;
        }
        if (q === n || !inClass(t, L, q)) break;
        if (t.soft[uri.charCodeAt(q)]) clean = false;
      }
      const q = soft >= 0 ? soft : best;
      const items = itemsOf(t.sink);
      if (t.set) items.raw[items.raw.length - 1] = uri.slice(p, q);
      else {
        items.raw.push(uri.slice(p, q));
        items.eq.push(false);
      }
      p = q;
      i++;
    }
  }
  return out;
}

/**
 * Decodes a reserved value so that reserved expansion gives back `raw`: triplets of reserved characters
 * stay encoded (as does a '%25' before two hex digits), other well-formed UTF-8 is decoded.
 */
export function decodeReserved(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== '%') {
      out += raw[i++];
      continue;
    }
    const b = Number.parseInt(raw.slice(i + 1, i + 3), 16);
    if (b < 0x80) {
      const keep =
        RESERVED[b] || (b === 0x25 && isHex(raw.charCodeAt(i + 3)) && isHex(raw.charCodeAt(i + 4)));
      out += keep ? raw.slice(i, i + 3) : String.fromCharCode(b);
      i += 3;
      continue;
    }
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    const group = raw.slice(i, i + 3 * len);
    const decoded = group.length === 3 * len && len > 1 ? decode(group) : undefined;
    out += decoded ?? raw.slice(i, i + 3);
    i += decoded === undefined ? 3 : 3 * len;
  }
  return encode(out, true) === raw ? out : raw;
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

/** A non-reserved value: a string, or a list where the text holds raw commas. */
function plainValue(s: Sink, raw: string): string | string[] | undefined {
  if (s.listy && raw.includes(',')) {
    const items = raw.split(',').map(decode);
    return items.every((x) => x !== undefined) ? (items as string[]) : undefined;
  }
  return decode(raw);
}

/** Turns the text read for one sink into its variable; false when it does not fit after all. */
export function collect(s: Sink, items: Items, out: UriTemplateMatch): boolean {
  if (s.bag) return collectQuery(s.bag, items.raw[0], out);
  const name = s.spec.name;
  if (s.named) {
    if (s.spec.explode) {
      const values = items.raw.map(decode);
      return values.every((x) => x !== undefined) && assign(out, name, values as string[]);
    }
    const raw = items.raw[0];
    const value = items.eq[0] && raw === '' ? [''] : plainValue(s, raw);
    return value !== undefined && assign(out, name, value);
  }
  const raw = items.raw[0];
  const one = (text: string): string | undefined => (s.reserved ? decodeReserved(text) : decode(text));
  if (s.split) {
    const values = raw.split(s.split).map(one);
    return values.every((x) => x !== undefined) && assign(out, name, values as string[]);
  }
  const value = s.reserved ? decodeReserved(raw) : plainValue(s, raw);
  return value !== undefined && assign(out, name, value);
}

/** Reads a lenient query bag: params in any order, unknown ones ignored, the first of a repeated one wins. */
export function collectQuery(vars: VarSpec[], raw: string, out: UriTemplateMatch): boolean {
  const wanted = new Map(vars.map((v) => [normalizeUri(v.name) ?? v.name, v]));
  const found = new Map<string, string | string[]>();
  for (const param of raw.split('&')) {
    const eq = param.indexOf('=');
    const spec = wanted.get(eq < 0 ? param : param.slice(0, eq));
    if (!spec) continue;
    const text = eq < 0 ? '' : param.slice(eq + 1);
    const prior = found.get(spec.name);
    if (!spec.explode) {
      if (prior !== undefined) continue;
      const listy = spec.prefix === 0;
      const value = listy && text.includes(',') ? text.split(',').map(decode) : decode(text);
      if (value === undefined || (Array.isArray(value) && value.some((x) => x === undefined))) return false;
      if (typeof value === 'string' && spec.prefix > 0 && truncate(value, spec.prefix, false) !== value)
        return false;
      found.set(spec.name, value as string | string[]);
      continue;
    }
    const value = decode(text);
    if (value === undefined) return false;
    if (Array.isArray(prior)) prior.push(value);
    else found.set(spec.name, [value]);
  }
  for (const v of vars) {
    const value = found.get(v.name);
    if (value !== undefined && !assign(out, v.name, value)) return false;
  }
  return true;
}
