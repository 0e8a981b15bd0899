/**
 * The catalog of a server: its tools, resources, templates and prompts, shared by every session,
 * and the requests answered from it (lists, calls, reads, completion).
 */
import {
  type CompleteParams,
  ErrorCode,
  McpError,
  markStable,
  type Params,
  type Resource,
  type ServerCapabilities,
} from '../protocol/index.ts';
import type { RequestContext } from './context.ts';
import { paginate } from './pagination.ts';
import type { PromptEntry } from './prompts.ts';
import { Registry } from './registry.ts';
import {
  completionResult,
  normalizeRead,
  type ResourceEntry,
  resourceNotFound,
  type TemplateEntry,
} from './resources.ts';
import type { ToolEntry } from './tools.ts';

type Result = Record<string, unknown>;

/** A handle to a registration: remove it, or turn it off and on. */
export interface Registered {
  /** Removes the entry (clients get list_changed). */
  remove(): void;
  /** Hides the entry from lists and calls. */
  disable(): void;
  /** Shows it again. */
  enable(): void;
}

/** The registries and the requests answered from them. */
export class Catalog {
  readonly tools: Registry<ToolEntry>;
  readonly resources: Registry<ResourceEntry>;
  readonly templates: Registry<TemplateEntry>;
  readonly prompts: Registry<PromptEntry>;
  readonly #disabled = new Set<object>();
  readonly #pageSize: number;

  constructor(pageSize: number, changed: (notification: string) => void) {
    this.#pageSize = pageSize;
    this.tools = new Registry(() => changed('notifications/tools/list_changed'));
    this.resources = new Registry(() => changed('notifications/resources/list_changed'));
    this.templates = new Registry(() => changed('notifications/resources/list_changed'));
    this.prompts = new Registry(() => changed('notifications/prompts/list_changed'));
  }

  handle<E extends object>(registry: Registry<E>, key: string, entry: E): Registered {
    return {
      remove: () => {
        if (registry.get(key) === entry) registry.delete(key);
        this.#disabled.delete(entry);
      },
      disable: () => {
        if (!this.#disabled.has(entry)) {
          this.#disabled.add(entry);
          registry.changed();
        }
      },
      enable: () => {
        if (this.#disabled.delete(entry)) registry.changed();
      },
    };
  }

  /** @internal */
  visible<E extends object>(registry: Registry<E>): E[] {
    const out: E[] = [];
    for (const e of registry.values()) if (!this.#disabled.has(e)) out.push(e);
    return out;
  }

  /** @internal */
  lookup<E extends object>(registry: Registry<E>, key: string): E | undefined {
    const e = registry.get(key);
    return e === undefined || this.#disabled.has(e) ? undefined : e;
  }

  /** The capabilities the registrations imply, merged over declared ones. */
  capabilities(declared: ServerCapabilities | undefined): ServerCapabilities {
    const caps: ServerCapabilities = { ...declared };
    if (this.tools.size > 0) caps.tools = { listChanged: true, ...caps.tools };
    if (this.resources.size > 0 || this.templates.size > 0) {
      caps.resources = { subscribe: true, listChanged: true, ...caps.resources };
    }
    if (this.prompts.size > 0) caps.prompts = { listChanged: true, ...caps.prompts };
    caps.logging ??= {};
    if (this.prompts.size > 0 || this.templates.size > 0) caps.completions ??= {};
    return caps;
  }

  /** @internal */
  require(present: boolean, method: string): void {
    if (!present) {
      throw new McpError(
        ErrorCode.MethodNotFound,
        `Method not found: this server does not offer '${method}'.`,
      );
    }
  }

  /** @internal */
  list<E extends object>(
    registry: Registry<E>,
    key: string,
    cursor: unknown,
    listed: (e: E) => unknown,
  ): Result {
    const all = registry.cached('all', () => this.visible(registry).map(listed));
    if (cursor === undefined) {
      const first = registry.cached('page0', () => {
        const { page, nextCursor } = paginate(all, undefined, this.#pageSize);
        return markStable(nextCursor === undefined ? { [key]: page } : { [key]: page, nextCursor });
      });
      return first;
    }
    const { page, nextCursor } = paginate(all, cursor, this.#pageSize);
    return nextCursor === undefined ? { [key]: page } : { [key]: page, nextCursor };
  }

  async listResources(cursor: unknown, ctx: RequestContext): Promise<Result> {
    const dynamic = this.visible(this.templates).filter((t) => t.def.list);
    if (dynamic.length === 0) return this.list(this.resources, 'resources', cursor, (e) => e.listed);
    const all: Resource[] = this.visible(this.resources).map((e) => e.listed);
    for (const t of dynamic) all.push(...(await (t.def.list as NonNullable<typeof t.def.list>)(ctx)));
    const { page, nextCursor } = paginate(all, cursor, this.#pageSize);
    return nextCursor === undefined ? { resources: page } : { resources: page, nextCursor };
  }

  async readResource(p: Params, ctx: RequestContext): Promise<Result> {
    this.require(this.resources.size + this.templates.size > 0, 'resources/read');
    const uri = p.uri;
    if (typeof uri !== 'string')
      throw new McpError(ErrorCode.InvalidParams, "resources/read needs 'uri' (a string).");
    const entry = this.lookup(this.resources, uri);
    if (entry) return normalizeRead(uri, entry.listed.mimeType, await entry.read(uri, ctx));
    for (const t of this.visible(this.templates)) {
      const vars = t.template.match(uri);
      if (vars) return normalizeRead(uri, t.listed.mimeType, await t.read(uri, vars, ctx));
    }
    throw resourceNotFound(uri, ctx.session.revision);
  }

  async complete(p: CompleteParams): Promise<Result> {
    const ref = p.ref;
    const arg = p.argument;
    if (
      !ref ||
      typeof ref !== 'object' ||
      !arg ||
      typeof arg.name !== 'string' ||
      typeof arg.value !== 'string'
    ) {
      throw new McpError(
        ErrorCode.InvalidParams,
        "completion/complete needs 'ref' and 'argument' {name, value}.",
      );
    }
    let completer:
      | ((v: string, c: { arguments: Record<string, string> }) => string[] | Promise<string[]>)
      | undefined;
    if (ref.type === 'ref/prompt') {
      const prompt = this.lookup(this.prompts, ref.name);
      if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt '${ref.name}'.`);
      completer = prompt.def.complete?.[arg.name];
    } else if (ref.type === 'ref/resource') {
      const template = this.lookup(this.templates, ref.uri);
      if (!template) {
        if (this.lookup(this.resources, ref.uri)) return completionResult([]);
        throw new McpError(ErrorCode.InvalidParams, `Unknown resource template '${ref.uri}'.`);
      }
      completer = template.def.complete?.[arg.name];
    } else {
      throw new McpError(ErrorCode.InvalidParams, "ref.type must be 'ref/prompt' or 'ref/resource'.");
    }
    if (!completer) return completionResult([]);
    const values = await completer(arg.value, { arguments: p.context?.arguments ?? {} });
    return completionResult(values);
  }
}
