/** Tool registration hooks: the tool as a hook sees it, and running the hooks over one registration. */
import type { Registered } from './catalog.ts';
import type { ToolDefinition, ToolHandler } from './tools.ts';

/** A tool about to be registered, as a registration hook sees it. */
export interface ToolRegistration {
  name: string;
  definition: ToolDefinition;
  handler: ToolHandler<unknown>;
}

/** Rewrites a tool as it is registered; undefined leaves it out (see `mcpkit/compose` transforms). */
export type ToolRegistrationHook = (tool: ToolRegistration) => ToolRegistration | undefined;

/** What registering returns for a tool a hook left out: a handle that does nothing. */
export const LEFT_OUT: Registered = Object.freeze({ remove() {}, disable() {}, enable() {} });

/** Runs the hooks in order over a tool about to be registered; undefined when one left it out. */
export function runToolHooks(
  hooks: readonly ToolRegistrationHook[],
  tool: ToolRegistration,
): ToolRegistration | undefined {
  let out: ToolRegistration | undefined = tool;
  for (const hook of hooks) {
    out = hook(out);
    if (out === undefined) return undefined;
  }
  return out;
}
