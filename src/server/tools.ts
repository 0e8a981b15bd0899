/** Tools: definitions, the listed form, argument and output validation, calls. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  type CallToolResult,
  describeError,
  ErrorCode,
  FEATURES,
  headerParams,
  type Icon,
  type JsonSchema,
  McpError,
  type Meta,
  type Revision,
  type Tool,
  type ToolAnnotations,
} from '../protocol/index.ts';
import {
  type CompiledSchema,
  compileSchema,
  isStandardSchema,
  type SchemaCompiler,
  SchemaError,
  type SchemaInput,
} from '../schema/index.ts';
import type { RequestContext } from './context.ts';

/** The arguments type a schema describes. */
export type InferArgs<S> = S extends StandardSchemaV1<unknown, infer O> ? O : Record<string, unknown>;

/** A result with structured output and no content: the text fallback is added for the client. */
export interface StructuredReturn {
  structuredContent: Record<string, unknown>;
  content?: CallToolResult['content'];
  isError?: boolean;
  _meta?: Meta;
}

/** What a tool handler may return: a full result, structured output alone, or a string (one text block). */
export type ToolReturn = CallToolResult | StructuredReturn | string;

/** A tool handler. */
export type ToolHandler<S> = (args: InferArgs<S>, ctx: RequestContext) => ToolReturn | Promise<ToolReturn>;

/** How a tool is described. */
export interface ToolDefinition<S extends SchemaInput | undefined = SchemaInput | undefined> {
  /** Display name (2025-06-18). */
  title?: string;
  /** What the tool does, for the model. */
  description?: string;
  /** The arguments: any Standard Schema (zod, valibot, arktype) or a JSON Schema object, kept as written. */
  input?: S;
  /** The shape of `structuredContent` (2025-06-18). */
  output?: SchemaInput;
  /** Behaviour hints (2025-03-26). */
  annotations?: ToolAnnotations;
  /** Icons (2025-11-25). */
  icons?: Icon[];
  /** Metadata. */
  _meta?: Meta;
}

const EMPTY_INPUT: JsonSchema = { type: 'object', properties: {} };

/** A registered tool with its compiled schemas. */
export interface ToolEntry {
  readonly listed: Tool;
  readonly input: CompiledSchema | undefined;
  readonly output: CompiledSchema | undefined;
  readonly handler: ToolHandler<unknown>;
  /** The `x-mcp-header` parameters: [property path in the arguments, header name] pairs. */
  readonly headers: ReadonlyArray<readonly [readonly string[], string]>;
}

/**
 * Refuses an object whose values are Standard Schemas (`{ city: z.string() }`, the shape SDK v1 took):
 * it would otherwise pass for a JSON Schema with unknown keywords and accept anything.
 */
function refuseBareShape(name: string, which: 'input' | 'output', schema: unknown): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || isStandardSchema(schema))
    return;
  if ('standard' in schema && 'jsonSchema' in schema) return; // a Standard Schema with its JSON Schema
  const keys = Object.entries(schema)
    .filter(([, v]) => isStandardSchema(v))
    .map(([k]) => k);
  if (keys.length === 0) return;
  const fields = keys.map((k) => `${k}: …`).join(', ');
  throw new SchemaError(
    `Tool '${name}' ${which} is an object of schemas ({ ${fields} }), not a schema: wrap it in ` +
      `z.object({ ${fields} }) (or your library's object schema), or pass a JSON Schema object.`,
  );
}

/** Compiles a tool's schemas once and builds its listed form. */
export function buildTool(
  name: string,
  def: ToolDefinition,
  handler: ToolHandler<unknown>,
  compile: SchemaCompiler = compileSchema,
): ToolEntry {
  refuseBareShape(name, 'input', def.input);
  refuseBareShape(name, 'output', def.output);
  const input =
    def.input === undefined ? undefined : compile(def.input, { name: `${name} input`, requireObject: true });
  const output =
    def.output === undefined
      ? undefined
      : compile(def.output, { name: `${name} output`, requireObject: true });
  const listed = { name } as Tool;
  if (def.title !== undefined) listed.title = def.title;
  if (def.description !== undefined) listed.description = def.description;
  listed.inputSchema = input?.jsonSchema ?? EMPTY_INPUT;
  if (output) listed.outputSchema = output.jsonSchema;
  if (def.annotations !== undefined) listed.annotations = def.annotations;
  if (def.icons !== undefined) listed.icons = def.icons;
  if (def._meta !== undefined) listed._meta = def._meta;
  const headers = headerParams(listed);
  if (headers === undefined) {
    throw new Error(
      `Tool '${name}' has an invalid x-mcp-header annotation: each must be a unique HTTP token on a string, ` +
        'integer or boolean property reached from the root through properties alone (not under items, ' +
        'anyOf/oneOf/allOf/not, if/then/else, $defs or additionalProperties).',
    );
  }
  return { listed, input, output, handler, headers };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Runs a tool call: validates arguments, calls the handler, normalizes and validates the result. */
export async function callTool(
  entry: ToolEntry,
  rawArgs: unknown,
  ctx: RequestContext,
  revision: Revision,
): Promise<CallToolResult> {
  const name = entry.listed.name;
  const args = rawArgs ?? {};
  let value: unknown = args;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new McpError(ErrorCode.InvalidParams, `The arguments of tool '${name}' must be an object.`);
  }
  if (entry.input) {
    let checked = entry.input.validate(args);
    if (checked instanceof Promise) checked = await checked;
    if (!checked.ok) {
      const message = `Invalid arguments for tool '${name}': ${checked.message}`;
      if (FEATURES[revision].argumentErrorsAsResults) return errorResult(message);
      throw new McpError(ErrorCode.InvalidParams, message, { issues: checked.issues });
    }
    value = checked.value;
  }
  let returned: ToolReturn;
  try {
    returned = await entry.handler(value as never, ctx);
  } catch (error) {
    if (error instanceof McpError) throw error;
    if (ctx.signal.aborted) throw error;
    return errorResult(describeError(error));
  }
  const result = normalizeToolResult(name, returned);
  if (entry.output && !result.isError) {
    if (result.structuredContent === undefined) {
      throw new McpError(
        ErrorCode.InternalError,
        `Tool '${name}' has an outputSchema but returned no structuredContent.`,
      );
    }
    let checked = entry.output.validate(result.structuredContent);
    if (checked instanceof Promise) checked = await checked;
    if (!checked.ok) {
      throw new McpError(
        ErrorCode.InternalError,
        `Tool '${name}' returned structuredContent that does not match its outputSchema: ${checked.message}`,
      );
    }
  }
  return result;
}

/** Turns what a handler returned into a CallToolResult (adding the text fallback for structured output). */
export function normalizeToolResult(name: string, returned: ToolReturn): CallToolResult {
  if (typeof returned === 'string') return { content: [{ type: 'text', text: returned }] };
  if (typeof returned !== 'object' || returned === null) {
    throw new McpError(
      ErrorCode.InternalError,
      `Tool '${name}' returned ${returned === null ? 'null' : typeof returned}; return a string or a CallToolResult.`,
    );
  }
  if (returned.content === undefined) {
    if (returned.structuredContent !== undefined) {
      const { content: _absent, ...rest } = returned;
      return { content: [{ type: 'text', text: JSON.stringify(returned.structuredContent) }], ...rest };
    }
    throw new McpError(
      ErrorCode.InternalError,
      `Tool '${name}' returned an object without 'content'; return { content: [...] } or a string.`,
    );
  }
  return returned as CallToolResult;
}
