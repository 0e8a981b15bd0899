/** JSON Schemas as short human-readable text: type labels and parameter lists. */

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The properties of an object schema. */
export function propertiesOf(schema: unknown): Record<string, Schema> {
  if (!isSchema(schema) || !isSchema(schema.properties)) return {};
  const out: Record<string, Schema> = {};
  for (const [name, value] of Object.entries(schema.properties)) out[name] = isSchema(value) ? value : {};
  return out;
}

/** The required property names of an object schema. */
export function requiredOf(schema: unknown): string[] {
  if (!isSchema(schema) || !Array.isArray(schema.required)) return [];
  return schema.required.filter((n): n is string => typeof n === 'string');
}

/** The allowed constant values of a schema (enum, const, or oneOf/anyOf of consts), if it is one of those. */
export function choicesOf(schema: Schema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0 && list.every((s) => isSchema(s) && 'const' in s)) {
      return list.map((s) => (s as Schema).const);
    }
  }
  return undefined;
}

/** The JSON types a schema allows, as listed by `type` (empty when it does not say). */
export function typesOf(schema: Schema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) {
      const types = list.flatMap((s) => (isSchema(s) ? typesOf(s) : []));
      if (types.length > 0) return [...new Set(types)];
    }
  }
  return [];
}

/** A short label for a schema's type: `string`, `number[]`, `"a" | "b"`, `string | null`. */
export function typeLabel(schema: Schema): string {
  const choices = choicesOf(schema);
  if (choices) return choices.map((c) => JSON.stringify(c)).join(' | ');
  const types = typesOf(schema);
  if (types.length === 0) return 'any';
  return types
    .map((t) => {
      if (t !== 'array' || !isSchema(schema.items)) return t;
      const inner = typeLabel(schema.items);
      return inner.includes(' ') ? `(${inner})[]` : `${inner}[]`;
    })
    .join(' | ');
}

/** One line per parameter of an input schema: name, type, required or default, description. */
export function describeParameters(schema: unknown, indent = '  '): string {
  const props = propertiesOf(schema);
  const required = new Set(requiredOf(schema));
  const names = Object.keys(props);
  if (names.length === 0) return `${indent}(no parameters)`;
  const rows = names.map((name) => {
    const p = props[name] as Schema;
    const notes: string[] = [];
    if (required.has(name)) notes.push('required');
    if ('default' in p) notes.push(`default ${JSON.stringify(p.default)}`);
    const description = typeof p.description === 'string' ? p.description.split('\n')[0] : '';
    return [name, typeLabel(p), notes.join(', '), description ?? ''];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return rows
    .map((r) =>
      `${indent}${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] as number) : cell)).join('  ')}`.trimEnd(),
    )
    .join('\n');
}

/** A compact signature of a tool's parameters: `message* count:number`. */
export function parameterSummary(schema: unknown): string {
  const props = propertiesOf(schema);
  const required = new Set(requiredOf(schema));
  return Object.entries(props)
    .map(([name, p]) => {
      const choices = choicesOf(p);
      const label = choices ? choices.map(String).join('|') : typeLabel(p);
      return `${name}${required.has(name) ? '*' : ''}${label === 'string' || label === 'any' ? '' : `:${label}`}`;
    })
    .join(' ');
}
