/** Fuzz properties of RFC 6570 URI templates: parsing, expansion and matching. */
import fc from 'fast-check';
import {
  URI_TEMPLATE_LIMITS,
  UriTemplate,
  UriTemplateError,
  type UriTemplateValue,
} from '../../src/server/uri-template.ts';
import { normalizeUri } from '../../src/server/uri-template-compile.ts';
import { anyText } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

const OPS = ['', '+', '#', '.', '/', ';', '?', '&'] as const;
type Op = (typeof OPS)[number];

/** One variable of a generated template. */
interface GenVar {
  name: string;
  explode: boolean;
  prefix: number;
}

/** A generated template: literals and expressions, each variable name used once. */
type GenPart = { literal: string } | { op: Op; vars: GenVar[] };

const literalChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcxyz019-._~:/[]@!$&()*+,;='.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('%2F', '%41', '%e2%82%ac', 'é', '😀') },
);

const varsArb: fc.Arbitrary<Omit<GenVar, 'name'>[]> = fc.array(
  fc.oneof(
    fc.constant({ explode: false, prefix: 0 }),
    fc.constant({ explode: true, prefix: 0 }),
    fc.integer({ min: 1, max: 5 }).map((prefix) => ({ explode: false, prefix })),
  ),
  { minLength: 1, maxLength: 3 },
);

type Unnamed = { literal: string } | { op: Op; vars: Omit<GenVar, 'name'>[] };

const pathPartArb: fc.Arbitrary<Unnamed> = fc.oneof(
  fc.record({ literal: fc.array(literalChar, { minLength: 1, maxLength: 4 }).map((a) => a.join('')) }),
  fc.record({ op: fc.constantFrom<Op>('', '+', '.', '/', ';'), vars: varsArb }),
);

const queryArb: fc.Arbitrary<Unnamed[]> = fc.oneof(
  fc.constant<Unnamed[]>([]),
  varsArb.map((vars): Unnamed[] => [{ op: '?', vars }]),
  varsArb.map((vars): Unnamed[] => [{ literal: '?k=1' }, { op: '&', vars }]),
);

const fragmentArb: fc.Arbitrary<Unnamed[]> = fc.oneof(
  fc.constant<Unnamed[]>([]),
  varsArb.map((vars): Unnamed[] => [{ op: '#', vars }]),
);

/**
 * Generated templates shaped like URIs (path, then query, then fragment), variable names all distinct:
 * a path of literals and `{x}`, `{+x}`, `{.x}`, `{/x}`, `{;x}` expressions, then `{?x}` or a literal
 * query continued by `{&x}`, then `{#x}`.
 */
export const templateArb: fc.Arbitrary<GenPart[]> = fc
  .tuple(fc.array(pathPartArb, { maxLength: 4 }), queryArb, fragmentArb)
  .filter(([path, query, fragment]) => path.length + query.length + fragment.length > 0)
  .map(([path, query, fragment]) => {
    let n = 0;
    return [...path, ...query, ...fragment].map((p) =>
      'literal' in p ? p : { op: p.op, vars: p.vars.map((v) => ({ ...v, name: `v${n++}` })) },
    );
  });

/** The text of a generated template. */
export function templateText(parts: readonly GenPart[]): string {
  return parts
    .map((p) =>
      'literal' in p
        ? p.literal
        : `{${p.op}${p.vars.map((v) => v.name + (v.explode ? '*' : v.prefix > 0 ? `:${v.prefix}` : '')).join(',')}}`,
    )
    .join('');
}

const valueText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(
    'a/b',
    'a?b',
    'a#b',
    'a&b=c',
    'a,b',
    'a.b',
    'a;b',
    ' ',
    '%',
    '%41',
    '%2f',
    '%C3',
    '%A9',
    'é',
  ),
  fc.constantFrom('😀', '\uD800', '%25', '%%41', ',', '.', '/', ';', '=', '&', '?', '#', 'x=1'),
);
const nonEmptyText = valueText.filter((x) => x !== '');

/**
 * Values for a generated template: strings, and lists wherever RFC 6570 allows one (not under a prefix
 * modifier). Variables of `{x}` and `{+x}` are given and expand to something (the matcher requires them,
 * as documented); all others may be absent, empty or lists holding empty strings.
 */
function valuesArb(parts: readonly GenPart[]): fc.Arbitrary<Record<string, UriTemplateValue>> {
  const model: Record<string, fc.Arbitrary<UriTemplateValue>> = {};
  const required: string[] = [];
  for (const p of parts) {
    if ('literal' in p) continue;
    const needed = p.op === '' || p.op === '+';
    for (const v of p.vars) {
      const text = needed ? nonEmptyText : valueText;
      const list = fc.array(text, { minLength: 1, maxLength: 3 });
      model[v.name] = v.prefix > 0 ? text : fc.oneof(text, list);
      if (needed) required.push(v.name);
    }
  }
  return fc.record(model, { requiredKeys: required });
}

/** A template from the generator and values for it. */
const templateWithValues = templateArb.chain((parts) => fc.tuple(fc.constant(parts), valuesArb(parts)));

/** `uri` with a few characters inserted, removed or replaced, to land near the template's language. */
function mutate(uri: string, edits: ReadonlyArray<[number, number, string]>): string {
  let out = uri;
  for (const [at, kind, ch] of edits) {
    const i = at % (out.length + 1);
    if (kind === 0) out = out.slice(0, i) + ch + out.slice(i);
    else if (kind === 1) out = out.slice(0, i) + out.slice(i + 1);
    else out = out.slice(0, i) + ch + out.slice(i + 1);
  }
  return out;
}
const editsArb = fc.array(
  fc.tuple(
    fc.nat(),
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom(...'/?#&=,;.%*:@a0', '%2C', '%41', '%C3%A9', 'é', 'v0', 'v1=', ';v2', '&v3='),
  ),
  { minLength: 1, maxLength: 3 },
);

/** Template-like text: braces, operators, modifiers and junk mixed. */
const templateishArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '{',
        '}',
        '{x}',
        '{+y*}',
        '{?a,b}',
        '{&c}',
        ':',
        '*',
        ',',
        '%',
        '%4',
        '%41',
        '{=x}',
        '{x:0}',
      ),
      fc.constantFrom(
        '{x:10000}',
        '{.}',
        '{a.b}',
        '{a..b}',
        '{%41}',
        '{x,}',
        '{,x}',
        'é',
        '\uD800',
        ' ',
        '"',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(''));

function parseOrError(text: string): UriTemplate | undefined {
  try {
    return new UriTemplate(text);
  } catch (error) {
    if (!(error instanceof UriTemplateError))
      throw new Error(`${JSON.stringify(text)} threw ${String(error)}`);
    if (error.position < 0 || error.position > text.length) {
      throw new Error(`${JSON.stringify(text)}: position ${error.position} is outside the template`);
    }
    return undefined;
  }
}

const uriArb: fc.Arbitrary<string> = fc.oneof(
  anyText,
  fc
    .array(
      fc.oneof(
        fc.constantFrom('/', '?', '#', '&', '=', ',', ';', '.', '%', '%2', '%41', '%C3%A9', 'v0', 'x'),
        fc.string({ maxLength: 3 }),
      ),
      {
        maxLength: 16,
      },
    )
    .map((a) => a.join('')),
);

/** The URI template properties. */
export const uriTemplateFuzz: FuzzGroup = {
  parser: 'URI templates (RFC 6570)',
  properties: [
    defineProperty('any text either parses or throws UriTemplateError with a position inside it', () =>
      fc.property(fc.oneof(anyText, templateishArb), (text) => {
        parseOrError(text);
      }),
    ),
    defineProperty('generated templates parse, and list their variables in order', () =>
      fc.property(templateArb, (parts) => {
        const t = new UriTemplate(templateText(parts));
        const names = parts.flatMap((p) => ('literal' in p ? [] : p.vars.map((v) => v.name)));
        if (JSON.stringify(t.variableNames) !== JSON.stringify(names))
          throw new Error(`names ${t.variableNames}`);
      }),
    ),
    defineProperty('match never throws on any URI, and gives strings or string lists', () =>
      fc.property(fc.oneof(templateArb.map(templateText), templateishArb), uriArb, (text, uri) => {
        const t = parseOrError(text);
        if (!t) return;
        const m = t.match(uri);
        if (m === null) return;
        for (const [k, v] of Object.entries(m)) {
          const ok = typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
          if (!ok || !t.variableNames.includes(k)) throw new Error(`bad match ${JSON.stringify(m)}`);
        }
      }),
    ),
    defineProperty(
      'templates and URIs at the size limits parse, match and fail in bounded time',
      () =>
        fc.property(
          fc.integer({ min: 1, max: URI_TEMPLATE_LIMITS.expressions }),
          fc.constantFrom('', '+', '.', '/', ';', '?', '&'),
          fc.integer({ min: 1, max: URI_TEMPLATE_LIMITS.uriLength }),
          fc.constantFrom('a', '/', '%', ';x=', 'a,', '.'),
          (count, op, length, unit) => {
            const t = new UriTemplate(Array.from({ length: count }, (_, i) => `{${op}v${i},w${i}}`).join(''));
            const uri = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
            t.match(uri);
            t.match(uri + 'x');
            if (t.match('x'.repeat(URI_TEMPLATE_LIMITS.uriLength + 1)) !== null)
              throw new Error('matched an over-long URI');
            parseOrError('{a}'.repeat(URI_TEMPLATE_LIMITS.expressions + 1));
            parseOrError('a'.repeat(URI_TEMPLATE_LIMITS.templateLength + 1));
          },
        ),
      0.02,
    ),
    defineProperty('a template with one prefixed variable matches its expansions back', () =>
      fc.property(
        fc.constantFrom(...OPS),
        fc.integer({ min: 1, max: 6 }),
        nonEmptyText,
        fc.constantFrom('', '/p', 'x:'),
        (op, prefix, value, lead) => {
          const t = new UriTemplate(`${lead}{${op}x:${prefix}}`);
          const uri = t.expand({ x: value });
          const m = t.match(uri);
          if (m === null || normalizeUri(t.expand(m)) !== normalizeUri(uri))
            throw new Error(`${t}: ${JSON.stringify(uri)} matched ${JSON.stringify(m)}`);
        },
      ),
    ),
    defineProperty('any expansion of any template matches, and the values found expand to the same URI', () =>
      fc.property(templateWithValues, ([parts, values]) => {
        const t = new UriTemplate(templateText(parts));
        const uri = t.expand(values);
        for (const exact of [true, false]) {
          const m = t.match(uri, { exact });
          if (m === null) throw new Error(`${t} did not match its own expansion ${JSON.stringify(uri)}`);
          const again = t.expand(m);
          if (normalizeUri(again) !== normalizeUri(uri))
            throw new Error(
              `${t}: ${JSON.stringify(uri)} matched ${JSON.stringify(m)}, which expands to ${JSON.stringify(again)}`,
            );
        }
      }),
    ),
    defineProperty('whenever a URI matches exactly, the values found expand to that very URI', () =>
      fc.property(
        templateWithValues,
        editsArb,
        fc.oneof(fc.constant(undefined), uriArb),
        ([parts, values], edits, other) => {
          const t = new UriTemplate(templateText(parts));
          const uri = other ?? mutate(t.expand(values), edits);
          const m = t.match(uri, { exact: true });
          const loose = t.match(uri);
          const query = parts.some((p) => 'op' in p && (p.op === '?' || p.op === '&'));
          if (m === null) {
            if (loose !== null && !query) throw new Error(`${t} matched ${JSON.stringify(uri)} only loosely`);
            return;
          }
          if (JSON.stringify(loose) !== JSON.stringify(m))
            throw new Error(
              `${t}: ${JSON.stringify(uri)} gave ${JSON.stringify(loose)} and exactly ${JSON.stringify(m)}`,
            );
          const again = t.expand(m);
          if (normalizeUri(again) !== normalizeUri(uri))
            throw new Error(
              `${t}: ${JSON.stringify(uri)} matched ${JSON.stringify(m)}, which expands to ${JSON.stringify(again)}`,
            );
        },
      ),
    ),
  ],
};
