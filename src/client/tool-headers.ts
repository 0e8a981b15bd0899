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
