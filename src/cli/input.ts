/**
 * Answers the server's requests at the terminal: sampling (the user types the model's reply),
 * elicitation (a form, field by field, or a URL to open), roots (from `--root`). With `--no-input`
 * they are refused instead.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientHandlers } from '../client/index.ts';
import { launchBrowser } from '../node/index.ts';
import {
  type CreateMessageParams,
  type CreateMessageResult,
  type ElicitParams,
  type ElicitResult,
  ErrorCode,
  McpError,
} from '../protocol/index.ts';
import { renderBlocks } from './render/content.ts';
import { choicesOf, propertiesOf, requiredOf, typesOf } from './schema-text.ts';
import type { Terminal } from './terminal.ts';

type Schema = Record<string, unknown>;

/** Options of the terminal handlers. */
export interface InputOptions {
  /** Ask at the terminal (false: refuse every request). */
  input: boolean;
  /** Directories offered as roots. */
  roots?: string[];
}

/** The handlers for server→client requests. */
export function terminalHandlers(term: Terminal, options: InputOptions): ClientHandlers {
  const handlers: ClientHandlers = {
    sampling: (params) => (options.input ? sample(term, params) : refuseSampling(term)),
    elicitation: (params) => (options.input ? elicit(term, params) : refuseElicitation(term, params)),
  };
  if (options.roots && options.roots.length > 0) {
    const roots = options.roots.map((dir) => {
      const path = resolve(dir);
      return { uri: pathToFileURL(path).href, name: path };
    });
    handlers.roots = () => roots;
  }
  return handlers;
}

function refuseSampling(term: Terminal): never {
  term.note(term.err.yellow('Refused a sampling request from the server (--no-input).'));
  throw new McpError(
    ErrorCode.UserRejected,
    'The user refused the sampling request (mcpkit runs with --no-input).',
  );
}

function refuseElicitation(term: Terminal, params: ElicitParams): ElicitResult {
  term.note(
    term.err.yellow(`Declined an elicitation request from the server (--no-input): ${params.message}`),
  );
  return { action: 'decline' };
}

async function sample(term: Terminal, params: CreateMessageParams): Promise<CreateMessageResult> {
  const c = term.err;
  term.note(c.bold(c.magenta('The server asks for a model reply (sampling):')));
  if (params.systemPrompt) term.note(`${c.dim('system:')} ${params.systemPrompt}`);
  for (const m of params.messages ?? []) term.note(`${c.dim(`${m.role}:`)} ${renderBlocks(m.content, c)}`);
  term.note(c.dim(`(at most ${params.maxTokens} tokens)`));
  const reply = await term.ask('Reply as the model (empty line declines): ');
  if (reply === undefined || reply.trim() === '') {
    throw new McpError(ErrorCode.UserRejected, 'The user declined the sampling request.');
  }
  return {
    role: 'assistant',
    content: { type: 'text', text: reply },
    model: 'mcpkit-terminal',
    stopReason: 'endTurn',
  };
}

async function elicit(term: Terminal, params: ElicitParams): Promise<ElicitResult> {
  const c = term.err;
  term.note(c.bold(c.magenta('The server asks for input (elicitation):')));
  term.note(params.message);
  if (params.mode === 'url') return elicitUrl(term, params.url);
  const choice = await term.ask('Answer? [Y]es / [n]o (decline) / [c]ancel: ');
  if (choice === undefined) return { action: 'cancel' };
  const first = choice.trim().toLowerCase()[0];
  if (first === 'n') return { action: 'decline' };
  if (first === 'c') return { action: 'cancel' };
  const schema = (params as { requestedSchema?: Schema }).requestedSchema ?? {};
  const required = new Set(requiredOf(schema));
  const content: Record<string, string | number | boolean | string[]> = {};
  for (const [name, field] of Object.entries(propertiesOf(schema))) {
    const value = await askField(term, name, field, required.has(name));
    if (value === CANCEL) return { action: 'cancel' };
    if (value !== undefined) content[name] = value;
  }
  return { action: 'accept', content };
}

async function elicitUrl(term: Terminal, url: string): Promise<ElicitResult> {
  term.note(`URL: ${term.err.cyan(url)}`);
  const answer = await term.ask('Open this URL in your browser? [y/N] ');
  if (answer === undefined) return { action: 'cancel' };
  if (answer.trim().toLowerCase()[0] !== 'y') return { action: 'decline' };
  if (/^https?:\/\//i.test(url)) void launchBrowser(url);
  return { action: 'accept' };
}

const CANCEL = Symbol('cancel');
type FieldValue = string | number | boolean | string[];

async function askField(
  term: Terminal,
  name: string,
  field: Schema,
  required: boolean,
): Promise<FieldValue | undefined | typeof CANCEL> {
  const title = typeof field.title === 'string' && field.title !== name ? field.title : undefined;
  const isArray = typesOf(field).includes('array');
  const choices = choicesOf(isArray && typeof field.items === 'object' ? (field.items as Schema) : field);
  const hints: string[] = [];
  if (choices) hints.push(choices.map(String).join('/'));
  else hints.push(typesOf(field)[0] ?? 'text');
  if ('default' in field) hints.push(`default ${JSON.stringify(field.default)}`);
  if (required) hints.push('required');
  const about = [title, typeof field.description === 'string' ? field.description : undefined].filter(
    Boolean,
  );
  if (about.length > 0) term.note(term.err.dim(`  ${about.join(' — ')}`));
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await term.ask(`  ${name} (${hints.join(', ')}): `);
    if (answer === undefined) return CANCEL;
    if (answer === '') {
      if ('default' in field) return field.default as FieldValue;
      if (!required) return undefined;
      term.note(term.err.yellow('  This field is required.'));
      continue;
    }
    const value = fieldValue(answer, field, choices, isArray);
    if (value !== undefined) return value;
    term.note(
      term.err.yellow(
        `  Not a valid value${choices ? `; choose from ${choices.map(String).join(', ')}` : ''}.`,
      ),
    );
  }
  return CANCEL;
}

function fieldValue(
  text: string,
  field: Schema,
  choices: unknown[] | undefined,
  isArray: boolean,
): FieldValue | undefined {
  if (isArray) {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    if (choices && !parts.every((p) => choices.map(String).includes(p))) return undefined;
    return parts;
  }
  if (choices) return choices.map(String).includes(text) ? text : undefined;
  const type = typesOf(field)[0];
  if (type === 'number' || type === 'integer') {
    const n = Number(text);
    if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) return undefined;
    return n;
  }
  if (type === 'boolean') {
    const t = text.toLowerCase();
    if (['y', 'yes', 'true', '1'].includes(t)) return true;
    if (['n', 'no', 'false', '0'].includes(t)) return false;
    return undefined;
  }
  return text;
}
