/** Prompts: definitions, argument checks, results. */
import {
  ErrorCode,
  type GetPromptResult,
  type Icon,
  McpError,
  type Meta,
  type Prompt,
  type PromptArgument,
  type PromptMessage,
} from '../protocol/index.ts';
import {
  type CompiledSchema,
  compileSchema,
  type SchemaCompiler,
  type SchemaInput,
} from '../schema/index.ts';
import type { RequestContext } from './context.ts';
import type { Completer } from './resources.ts';

/** What a prompt handler may return: a result, a list of messages, or a string (one user message). */
export type PromptReturn = GetPromptResult | PromptMessage[] | string;

/** A prompt handler. */
export type PromptHandler = (
  args: Record<string, string>,
  ctx: RequestContext,
) => PromptReturn | Promise<PromptReturn>;

/** How a prompt is described. */
export interface PromptDefinition {
  title?: string;
  description?: string;
  /** The arguments: a list, or a schema whose top-level properties are the arguments. */
  arguments?: PromptArgument[] | SchemaInput;
  /** Completers for arguments. */
  complete?: Record<string, Completer>;
  icons?: Icon[];
  _meta?: Meta;
}

/** A registered prompt. */
export interface PromptEntry {
  readonly listed: Prompt;
  readonly schema: CompiledSchema | undefined;
  readonly def: PromptDefinition;
  readonly handler: PromptHandler;
}

/** Builds a prompt's listed form and compiles its argument schema once. */
export function buildPrompt(
  name: string,
  def: PromptDefinition,
  handler: PromptHandler,
  compile: SchemaCompiler = compileSchema,
): PromptEntry {
  let args: PromptArgument[] | undefined;
  let schema: CompiledSchema | undefined;
  if (Array.isArray(def.arguments)) {
    args = def.arguments;
  } else if (def.arguments !== undefined) {
    schema = compile(def.arguments, { name: `${name} arguments`, requireObject: true });
    const props = (schema.jsonSchema.properties ?? {}) as Record<
      string,
      { description?: string; title?: string }
    >;
    const required = new Set((schema.jsonSchema.required as string[] | undefined) ?? []);
    args = Object.entries(props).map(([argName, p]) => {
      const a: PromptArgument = { name: argName };
      if (p.title !== undefined) a.title = p.title;
      if (p.description !== undefined) a.description = p.description;
      if (required.has(argName)) a.required = true;
      return a;
    });
  }
  const listed = { name } as Prompt;
  if (def.title !== undefined) listed.title = def.title;
  if (def.description !== undefined) listed.description = def.description;
  if (args !== undefined) listed.arguments = args;
  if (def.icons !== undefined) listed.icons = def.icons;
  if (def._meta !== undefined) listed._meta = def._meta;
  return { listed, schema, def, handler };
}

/** Checks a prompt's arguments: -32602 for a missing required one or a value that fails the schema. */
export async function checkPromptArgs(entry: PromptEntry, raw: unknown): Promise<Record<string, string>> {
  const name = entry.listed.name;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `The arguments of prompt '${name}' must be an object of strings.`,
    );
  }
  const args = (raw ?? {}) as Record<string, string>;
  for (const a of entry.listed.arguments ?? []) {
    if (a.required && args[a.name] === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Missing required argument '${a.name}' for prompt '${name}'.`,
      );
    }
  }
  if (entry.schema) {
    let checked = entry.schema.validate(args);
    if (checked instanceof Promise) checked = await checked;
    if (!checked.ok) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Invalid arguments for prompt '${name}': ${checked.message}`,
      );
    }
    return checked.value as Record<string, string>;
  }
  return args;
}

/** Turns what a prompt handler returned into a GetPromptResult. */
export function normalizePrompt(entry: PromptEntry, returned: PromptReturn): GetPromptResult {
  if (typeof returned === 'string') {
    returned = [{ role: 'user', content: { type: 'text', text: returned } }];
  }
  if (Array.isArray(returned)) {
    const description = entry.listed.description;
    return description === undefined ? { messages: returned } : { description, messages: returned };
  }
  return returned;
}

/** Runs a prompt handler for the context. */
export async function getPrompt(
  entry: PromptEntry,
  raw: unknown,
  ctx: RequestContext,
): Promise<GetPromptResult> {
  const args = await checkPromptArgs(entry, raw);
  return normalizePrompt(entry, await entry.handler(args, ctx));
}
