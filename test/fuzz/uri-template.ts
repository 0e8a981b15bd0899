/** Fuzz properties of RFC 6570 URI templates: parsing, expansion and matching. */
import fc from 'fast-check';
import {
  URI_TEMPLATE_LIMITS,
  UriTemplate,
  UriTemplateError,
  type UriTemplateValue,
} from '../../src/server/uri-template.ts';
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

/**
 * Adjusts a generated template to what the matcher can read back exactly:
 * - `*` is turned off on a `;` variable that has another `;` variable after it: such templates do not
 *   match their own expansions (`{;x*,y}` expands {x: ['a'], y: '1'} to ";x=a;y=1", which matches nothing);
 * - prefix modifiers are dropped: match does not limit a `{x:n}` capture to n characters, so where
 *   captures are ambiguous a prefixed variable can take more than its expansion could hold;
 * - expressions of the path are kept apart by a '/', and `{+x}` is kept only as the first expression:
 *   a non-reserved capture takes raw reserved characters that expansion would have encoded, so where
 *   captures are ambiguous it can take part of its neighbour (`{a}{b*}` expands a = '1', b = ['x', 'y']
 *   to "1x,y", matched as a = '1x,', b = ['y']; `{/a,b}/{+c,d*}` expands c = 'a/b', d = ['a/b', 'z']
 *   to "/a/b,a/b,z", matched as a = 'a', b = 'b,a', c = 'b', d = ['z']).
 */
export function matchable(parts: readonly GenPart[]): GenPart[] {
  let laterMatrix = false;
  for (let k = parts.length - 1; k >= 0; k--) {
    const p = parts[k];
    if ('literal' in p || p.op !== ';') continue;
    for (let i = p.vars.length - 1; i >= 0; i--) {
      if (laterMatrix) p.vars[i] = { ...p.vars[i], explode: false };
      laterMatrix = true;
    }
  }
  const out: GenPart[] = [];
  let afterExpression = false;
  let slash = false;
  for (const p of parts) {
    if ('literal' in p) {
      out.push(p);
      slash ||= p.literal.includes('/');
      continue;
    }
    const query = p.op === '?' || p.op === '&';
    if (afterExpression && !slash && !query && p.op !== '#') out.push({ literal: '/' });
    const op = p.op === '+' && afterExpression ? '' : p.op;
    out.push({ op, vars: p.vars.map((v) => ({ ...v, prefix: 0 })) });
    afterExpression = true;
    slash = false;
  }
  return out;
}

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
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  fc.constantFrom('a/b', 'a?b', 'a#b', 'a&b=c', 'a,b', 'a.b', 'a;b', ' ', '%', '%41', 'é', '😀', '\uD800'),
);

/**
 * Values for a generated template: strings, or lists for exploded variables. Variables of `{x}` and
 * `{+x}` are always given (the matcher requires them, as documented), and so are those of `{#x,y}`
 * (the matcher takes a fragment expression whole: `{#a,b}` does not match "#1", the expansion of a = '1').
 */
function valuesArb(parts: readonly GenPart[]): fc.Arbitrary<Record<string, UriTemplateValue>> {
  const model: Record<string, fc.Arbitrary<UriTemplateValue>> = {};
  const required: string[] = [];
  parts.forEach((p, k) => {
    if ('literal' in p) return;
    const avoid = unmatchable(parts, k);
    for (const v of p.vars) {
      const text = valueText.filter((x) => ![...avoid].some((c) => x.includes(c)));
      model[v.name] = v.explode ? fc.array(text, { minLength: 1, maxLength: 3 }) : text;
      if (p.op === '' || p.op === '+' || p.op === '#') required.push(v.name);
    }
  });
  return fc.record(model, { requiredKeys: required });
}

const RESERVED = ":/?#[]@!$&'()*+,;=";

/**
 * Characters a value of expression `k` may not hold and still be read back, by the documented rules:
 * unencoded characters that a later part uses as a delimiter ('.' of a later `{.x}`, and for reserved
 * expansion '?', '#' and '&'), the expression's own separator, and '%' under reserved expansion (which
 * passes %XX through while matching decodes it).
 */
function unmatchable(parts: readonly GenPart[], k: number): Set<string> {
  const p = parts[k] as { op: Op; vars: GenVar[] };
  const later = new Set<string>();
  for (const q of parts.slice(k + 1)) {
    if ('literal' in q) for (const c of q.literal) if (RESERVED.includes(c)) later.add(c);
    if ('op' in q && q.op !== '' && q.op !== '+') later.add(q.op);
  }
  const avoid = new Set<string>();
  const reserved = p.op === '+' || p.op === '#';
  if (reserved) {
    avoid.add('%');
    for (const c of '?#&') if (later.has(c)) avoid.add(c);
    if (p.vars.length > 1 || p.vars.some((v) => v.explode)) avoid.add(',');
  } else if (later.has('.') || (p.op === '.' && (p.vars.length > 1 || p.vars.some((v) => v.explode)))) {
    avoid.add('.');
  }
  return avoid;
}

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
        valueText.filter((x) => !x.includes('%')),
        fc.constantFrom('', '/p', 'x:'),
        (op, prefix, value, lead) => {
          const t = new UriTemplate(`${lead}{${op}x:${prefix}}`);
          const uri = t.expand({ x: value });
          const m = t.match(uri);
          if (m === null || t.expand(m) !== uri)
            throw new Error(`${t}: ${JSON.stringify(uri)} matched ${JSON.stringify(m)}`);
        },
      ),
    ),
    defineProperty('expanding the values matched from an expansion gives the same URI', () =>
      fc.property(
        templateArb.map(matchable).chain((parts) => fc.tuple(fc.constant(parts), valuesArb(parts))),
        ([parts, values]) => {
          const t = new UriTemplate(templateText(parts));
          const uri = t.expand(values);
          const m = t.match(uri);
          if (m === null) throw new Error(`${t} did not match its own expansion ${JSON.stringify(uri)}`);
          const again = t.expand(m);
          if (again !== uri)
            throw new Error(
              `${t}: ${JSON.stringify(uri)} matched ${JSON.stringify(m)}, which expands to ${JSON.stringify(again)}`,
            );
        },
      ),
    ),
  ],
};
