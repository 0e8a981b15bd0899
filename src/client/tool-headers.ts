/**
 * The `x-mcp-header` parameters of the tools a modern server listed (2026-07-28): learned from
 * `tools/list`, turned into the `Mcp-Param-*` headers of each `tools/call`.
 */
import {
  type HeaderParam,
  headerParams,
  headerValueProblem,
  LocalError,
  paramHeaderValues,
  type Tool,
} from '../protocol/index.ts';

/** Each listed tool's header parameters; undefined for a tool whose declaration is invalid. */
export class ToolHeaders {
  readonly #byName = new Map<string, HeaderParam[] | undefined>();
  /**
   * Whether the whole list was walked since the last change: a tool it did not have is unknown to
   * the server, and another walk would not find it.
   */
  walked = false;
  /** Counts the changes of the list, so that a walk across a change does not count as complete. */
  #generation = 0;
  /** The walk in progress, shared by the calls waiting for it. */
  #walking: Promise<void> | undefined;

  /** Records a listed tool's header parameters; false when its declaration is invalid. */
  learn(tool: Tool): boolean {
    const header = headerParams(tool);
    this.#byName.set(tool.name, header);
    return header !== undefined;
  }

  /** Whether the tool was listed (with valid header parameters or not). */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The tool's header parameters; undefined when unknown or invalid. */
  get(name: string): HeaderParam[] | undefined {
    return this.#byName.get(name);
  }

  /** Forgets every tool (the list changed). */
  clear(): void {
    this.#byName.clear();
    this.walked = false;
    this.#generation++;
  }

  /**
   * Runs one walk of the tool list (`walk` lists every page), shared by every call that needs it
   * meanwhile; once it finishes, with no change of the list in between, the list counts as walked.
   */
  walk(walk: () => Promise<void>): Promise<void> {
    this.#walking ??= (async () => {
      const generation = this.#generation;
      try {
        await walk();
        if (generation === this.#generation) this.walked = true;
      } finally {
        this.#walking = undefined;
      }
    })();
    return this.#walking;
  }

  /**
   * The `Mcp-Param-*` headers of a call to the tool with these arguments; throws LocalError when the
   * tool's header parameters are invalid or the arguments cannot be sent as headers.
   */
  forCall(name: string, args: Record<string, unknown> | undefined): Record<string, string> | undefined {
    const header = this.#byName.get(name);
    if (this.#byName.has(name) && header === undefined) {
      throw new LocalError(
        `Tool '${name}' declares invalid x-mcp-header parameters, so it cannot be called safely.`,
      );
    }
    if (!header) return undefined;
    const problem = headerValueProblem(header, args);
    if (problem !== undefined) throw new LocalError(`Tool '${name}': ${problem}`);
    return paramHeaderValues(header, args);
  }
}
