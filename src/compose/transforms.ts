/**
 * Transforms on tools, declared once per server and applied to every tool as it is registered
 * (local, mounted and proxied alike): hide, rename, describe anew, fix or default some arguments
 * (the published schema shrinks accordingly), wrap the handler.
 */
import { ErrorCode, McpError } from '../protocol/index.ts';
import { compileSchema, type JsonSchema } from '../schema/index.ts';
import type {
  McpServer,
  RequestContext,
  ToolRegistration,
  ToolRegistrationHook,
  ToolReturn,
} from '../server/index.ts';

/** Calls the tool underneath a wrapper, with the arguments the wrapper chooses. */
export type ToolCallNext = (args: Record<string, unknown>) => Promise<ToolReturn>;

/** A wrapper around a tool's handler: runs before and after it, or instead of it. */
export type ToolWrapper = (
  args: Record<string, unknown>,
  ctx: RequestContext,
  next: ToolCallNext,
) => ToolReturn | Promise<ToolReturn>;

/** What to change about one tool. */
export interface ToolTransform {
  /** Leave the tool out: it is neither listed nor callable. */
  hide?: boolean;
  /** The name clients see. */
  name?: string;
  /** The title clients see. */
  title?: string;
  /** The description clients see. */
  description?: string;
  /** Arguments the server sets: removed from the published schema, overriding anything sent. */
  fixed?: Record<string, unknown>;
  /** Arguments given a default: published with it and no longer required. */
  defaults?: Record<string, unknown>;
  /** Wraps the handler (runs after the arguments were checked and completed). */
  wrap?: ToolWrapper;
}

/**
 * Applies transforms to the tools of `server`, keyed by the name a tool is registered under (a
 * mounted tool's prefixed name). Call it before registering or mounting tools.
 */
export function transformTools(server: McpServer, transforms: Record<string, ToolTransform>): void {
  server.onToolRegistration(toolTransformHook(transforms));
}

/** The registration hook that applies `transforms` (for `McpServer.onToolRegistration`). */
export function toolTransformHook(transforms: Record<string, ToolTransform>): ToolRegistrationHook {
  return (tool) => {
    const t = Object.hasOwn(transforms, tool.name) ? transforms[tool.name] : undefined;
    if (t === undefined) return tool;
    if (t.hide) return undefined;
    return applyTransform(tool, t);
  };
}

function applyTransform(tool: ToolRegistration, t: ToolTransform): ToolRegistration {
  const definition = { ...tool.definition };
  if (t.title !== undefined) definition.title = t.title;
  if (t.description !== undefined) definition.description = t.description;
  const inner = tool.handler;
  const fixed = t.fixed ?? {};
  const defaults = t.defaults ?? {};
  const completes = Object.keys(fixed).length + Object.keys(defaults).length > 0;
  if (!completes && !t.wrap) return { name: t.name ?? tool.name, definition, handler: inner };
  const original = completes
    ? compileSchema(definition.input ?? { type: 'object', properties: {} }, {
        name: `${tool.name} input`,
        requireObject: true,
      })
    : undefined;
  if (original) definition.input = shrinkSchema(tool.name, original.jsonSchema, fixed, defaults);
  const wrap = t.wrap;
  const handler: ToolRegistration['handler'] = async (args, ctx) => {
    const merged: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const [k, v] of Object.entries(defaults)) if (merged[k] === undefined) merged[k] = v;
    Object.assign(merged, fixed);
    const call: ToolCallNext = async (next) => {
      if (!original) return inner(next, ctx);
      let checked = original.validate(next);
      if (checked instanceof Promise) checked = await checked;
      if (!checked.ok) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Invalid arguments for tool '${tool.name}' once fixed and default values were added: ${checked.message}`,
        );
      }
      return inner(checked.value as Record<string, unknown>, ctx);
    };
    return wrap ? wrap(merged, ctx, call) : call(merged);
  };
  return { name: t.name ?? tool.name, definition, handler };
}

/** The published schema once `fixed` arguments are gone and `defaults` are no longer required. */
function shrinkSchema(
  name: string,
  schema: JsonSchema,
  fixed: Record<string, unknown>,
  defaults: Record<string, unknown>,
): JsonSchema {
  const properties = { ...((schema.properties ?? {}) as Record<string, JsonSchema>) };
  const known = Object.keys(properties);
  for (const key of [...Object.keys(fixed), ...Object.keys(defaults)]) {
    if (!Object.hasOwn(properties, key)) {
      throw new Error(
        `The transform of tool '${name}' sets argument '${key}', which the tool does not have; its arguments are: ${known.join(', ') || '(none)'}.`,
      );
    }
  }
  for (const key of Object.keys(fixed)) delete properties[key];
  for (const [key, value] of Object.entries(defaults))
    properties[key] = { ...properties[key], default: value };
  const out: JsonSchema = { ...schema, properties };
  if (Array.isArray(schema.required)) {
    out.required = (schema.required as string[]).filter(
      (k) => !Object.hasOwn(fixed, k) && !Object.hasOwn(defaults, k),
    );
  }
  return out;
}
