/**
 * Tool and prompt arguments from the command line: one JSON object, or `key=value` words converted
 * with the tool's input schema (`n=3` is a number when `n` is a number, `flag=true` a boolean), and
 * `key:=<json>` for a raw JSON value.
 */
import { UsageError } from './errors.ts';
import { choicesOf, describeParameters, propertiesOf, requiredOf, typesOf } from './schema-text.ts';
import { didYouMean } from './suggest.ts';

type Schema = Record<string, unknown>;

const PAIR = /^([^=:]+?)(:=|=)(.*)$/s;

/** One `key=value` (or `key:=json`) word taken apart. */
export interface Pair {
  key: string;
  value: string;
  /** The value is JSON (`:=`). */
  json: boolean;
}

/** Splits `key=value` words; anything else is a usage error. */
export function parsePairs(words: readonly string[], what: string): Pair[] {
  return words.map((word) => {
    const m = PAIR.exec(word);
    if (!m) {
      throw new UsageError(
        `Expected ${what} as key=value (or key:=<json>), got '${word}'. Quote values with spaces: key="two words".`,
      );
    }
    return { key: m[1] as string, value: m[3] as string, json: m[2] === ':=' };
  });
}

function schemaHelp(name: string, schema: unknown): string {
  return `Parameters of '${name}':\n${describeParameters(schema)}`;
}

function parseJson(text: string, what: string, help: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Could not read ${what} as JSON: ${(error as Error).message}`, help);
  }
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** Converts one text value to what the property schema asks for; undefined when it cannot. */
function convert(text: string, schema: Schema): unknown {
  const choices = choicesOf(schema);
  if (choices) {
    for (const c of choices) if (String(c) === text) return c;
    return undefined;
  }
  const types = typesOf(schema);
  if (types.length === 0) return guess(text);
  for (const type of types) {
    const v = convertAs(text, type, schema);
    if (v !== undefined) return v;
  }
  return undefined;
}

function convertAs(text: string, type: string, schema: Schema): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'number':
    case 'integer': {
      if (text.trim() === '') return undefined;
      const n = Number(text);
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) return undefined;
      return n;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : undefined;
    }
    case 'null':
      return text === 'null' ? null : undefined;
    case 'array': {
      if (text.trim().startsWith('[')) return jsonOrUndefined(text);
      const items = typeof schema.items === 'object' && schema.items !== null ? (schema.items as Schema) : {};
      const parts = text === '' ? [] : text.split(',');
      const out = parts.map((p) => convert(p, items));
      return out.some((v) => v === undefined) ? undefined : out;
    }
    case 'object': {
      const v = jsonOrUndefined(text);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
    }
    default:
      return undefined;
  }
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Without a schema: numbers, booleans, null, arrays and objects as JSON; anything else as text. */
function guess(text: string): unknown {
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(text) || /^[[{]/.test(text.trim())) {
    const v = jsonOrUndefined(text);
    if (v !== undefined) return v;
  }
  return text;
}

/**
 * Builds a tool's arguments from the words after its name: nothing, one JSON object, or
 * `key=value` words converted with the input schema. Mistakes are usage errors that show the schema.
 */
export function toolArguments(
  name: string,
  words: readonly string[],
  schema: unknown,
): Record<string, unknown> {
  const help = schemaHelp(name, schema);
  if (words.length === 1 && /^\s*[{[]/.test(words[0] as string)) {
    const value = parseJson(words[0] as string, `The arguments for '${name}'`, help);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(
        `The arguments for '${name}' must be a JSON object, not ${JSON.stringify(value)}.`,
        help,
      );
    }
    return value as Record<string, unknown>;
  }
  const props = propertiesOf(schema);
  const closed =
    typeof schema === 'object' && schema !== null && (schema as Schema).additionalProperties === false;
  const args: Record<string, unknown> = {};
  for (const { key, value, json } of parsePairs(words, `the arguments of '${name}'`)) {
    const prop = props[key];
    if (!prop && closed) {
      throw new UsageError(
        `'${name}' has no parameter '${key}'.${didYouMean(key, Object.keys(props))}`,
        help,
      );
    }
    let converted: unknown;
    if (json) converted = parseJson(value, `The value of '${key}'`, help);
    else if (prop) {
      converted = convert(value, prop);
      if (converted === undefined) {
        throw new UsageError(
          `'${value}' is not a valid value for '${key}' of '${name}'; use key:=<json> to give JSON.`,
          help,
        );
      }
    } else converted = guess(value);
    if (key in args) {
      const before = args[key];
      const list = Array.isArray(before) ? before : [before];
      args[key] =
        Array.isArray(converted) && Array.isArray(before) ? [...list, ...converted] : [...list, converted];
    } else args[key] = converted;
  }
  const missing = requiredOf(schema).filter((r) => !(r in args));
  if (missing.length > 0) {
    const list = missing.map((m) => `'${m}'`).join(', ');
    throw new UsageError(
      `'${name}' needs ${missing.length === 1 ? 'the argument' : 'the arguments'} ${list}.`,
      help,
    );
  }
  return args;
}

/** Builds string arguments (prompts, completion context) from `key=value` words. */
export function stringArguments(words: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of parsePairs(words, what)) out[key] = value;
  return out;
}
