/** `mcpkit call <target> <tool> [<json> | key=value …]`: calls a tool and prints its result. */
import { ErrorCode, McpError, type Tool } from '../../protocol/index.ts';
import { CliError, ExitCode, UsageError } from '../errors.ts';
import { renderToolResult } from '../render/content.ts';
import { describeParameters } from '../schema-text.ts';
import type { ClientOptions } from '../session.ts';
import { didYouMean } from '../suggest.ts';
import type { Terminal } from '../terminal.ts';
import { toolArguments } from '../tool-args.ts';
import { collect } from './lists.ts';
import { need, printJson, splitTarget, withSession } from './run.ts';

const USAGE = 'mcpkit call <url> <tool> [<json> | key=value ...]  (or --stdio "<command>" <tool> ...)';

/** Runs `call`. */
export async function callCommand(words: string[], options: ClientOptions, term: Terminal): Promise<number> {
  const p = splitTarget(words, options);
  const name = need(p, 0, 'the tool name', USAGE);
  const argWords = p.rest.slice(1);
  return withSession(p.target, options, term, async ({ client }) => {
    if (!client.serverCapabilities.tools) {
      throw new UsageError(`The server offers no tools (it did not declare the 'tools' capability).`);
    }
    const tools: Tool[] = await collect(client.iterateTools());
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      const names = tools.map((t) => t.name);
      throw new UsageError(
        `The server has no tool '${name}'.${didYouMean(name, names)}`,
        names.length > 0 ? `Its tools: ${names.join(', ')}` : 'It lists no tools.',
      );
    }
    const args = toolArguments(name, argWords, tool.inputSchema);
    let result: Awaited<ReturnType<typeof client.callTool>>;
    try {
      result = await client.callTool(name, args);
    } catch (error) {
      if (error instanceof McpError && error.code === ErrorCode.InvalidParams) {
        throw new CliError(
          `The server refused the arguments of '${name}' (error ${error.code}): ${error.message}`,
          ExitCode.serverError,
          `Parameters of '${name}':\n${describeParameters(tool.inputSchema)}\nSent: ${JSON.stringify(args)}`,
          { cause: error },
        );
      }
      throw error;
    }
    if (options.json) {
      printJson(term, result);
      return result.isError ? ExitCode.serverError : 0;
    }
    const text = renderToolResult(result, result.isError ? term.err : term.out);
    if (result.isError) {
      term.note(term.err.red(`The tool '${name}' reported an error:`));
      if (text) term.note(text);
      return ExitCode.serverError;
    }
    if (text) term.print(text);
    return 0;
  });
}
