/**
 * `Mcp-Param-*` headers (2026-07-28, Streamable HTTP): the bridge passes those of a downstream HTTP
 * request on unchanged, and otherwise computes them from the `x-mcp-header` parameters of the tools
 * it has seen listed (the value at each parameter's property path).
 */
import {
  type HeaderParam,
  headerParams,
  type Params,
  paramHeaderValues,
  type Tool,
} from '../../protocol/index.ts';
import type { MessageInfo } from '../../rpc/index.ts';

/** The `Mcp-Param-*` headers of the HTTP request that carried a message, if any. */
export function forwardedParamHeaders(info: MessageInfo | undefined): Record<string, string> | undefined {
  const request = info?.request;
  if (!request) return undefined;
  let out: Record<string, string> | undefined;
  request.headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith('mcp-param-')) {
      out ??= {};
      out[name] = value;
    }
  });
  return out;
}

/** The header parameters of the tools seen in `tools/list` results. */
export class ToolHeaders {
  readonly #byTool = new Map<string, HeaderParam[] | undefined>();

  /** Whether the tool has been seen. */
  knows(name: string): boolean {
    return this.#byTool.has(name);
  }

  /** Remembers the tools of a `tools/list` result. */
  remember(result: Record<string, unknown>): void {
    const tools = result.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools as Tool[]) {
      if (typeof tool?.name === 'string') this.#byTool.set(tool.name, headerParams(tool));
    }
  }

  /** The headers of a `tools/call` with these params, or undefined when none are due. */
  headersFor(params: Params | undefined): Record<string, string> | undefined {
    const name = params?.name;
    if (typeof name !== 'string') return undefined;
    const pairs = this.#byTool.get(name);
    if (!pairs || pairs.length === 0) return undefined;
    return paramHeaderValues(pairs, params?.arguments);
  }
}
