/** `mcpkit read <target> <uri>` and `mcpkit prompt <target> <name> [key=value …]`. */
import { McpError, type Prompt, type ReadResourceResult } from '../../protocol/index.ts';
import { UsageError } from '../errors.ts';
import { renderPrompt, renderReadResult } from '../render/content.ts';
import type { ClientOptions } from '../session.ts';
import { didYouMean } from '../suggest.ts';
import type { Terminal } from '../terminal.ts';
import { stringArguments } from '../tool-args.ts';
import { collect } from './lists.ts';
import { need, printJson, splitTarget, withSession } from './run.ts';

/** Runs `read`. */
export async function readCommand(words: string[], options: ClientOptions, term: Terminal): Promise<number> {
  const p = splitTarget(words, options);
  const uri = need(p, 0, 'the resource URI', 'mcpkit read <url> <uri>  (or --stdio "<command>" <uri>)');
  if (p.rest.length > 1) throw new UsageError(`read takes one URI; got also '${p.rest.slice(1).join(' ')}'.`);
  return withSession(p.target, options, term, async ({ client }) => {
    let result: ReadResourceResult;
    try {
      result = await client.readResource(uri);
    } catch (error) {
      if (!(error instanceof McpError)) throw error;
      const uris = await collect(client.iterateResources())
        .then((list) => list.map((r) => r.uri))
        .catch(() => [] as string[]);
      throw new McpError(error.code, `${error.message}${didYouMean(uri, uris)}`, error.data);
    }
    if (options.json) {
      printJson(term, result);
      return 0;
    }
    const only =
      result.contents.length === 1 ? (result.contents[0] as unknown as Record<string, unknown>) : undefined;
    if (only && typeof only.blob === 'string' && !term.stdoutIsTTY) {
      term.write(Buffer.from(only.blob, 'base64'));
      return 0;
    }
    term.print(renderReadResult(result, term.out));
    return 0;
  });
}

/** Runs `prompt`. */
export async function promptCommand(
  words: string[],
  options: ClientOptions,
  term: Terminal,
): Promise<number> {
  const p = splitTarget(words, options);
  const name = need(p, 0, 'the prompt name', 'mcpkit prompt <url> <name> [key=value ...]');
  const args = stringArguments(p.rest.slice(1), `the arguments of prompt '${name}'`);
  return withSession(p.target, options, term, async ({ client }) => {
    if (!client.serverCapabilities.prompts) {
      throw new UsageError(`The server offers no prompts (it did not declare the 'prompts' capability).`);
    }
    const prompts: Prompt[] = await collect(client.iteratePrompts());
    const prompt = prompts.find((x) => x.name === name);
    if (!prompt) {
      const names = prompts.map((x) => x.name);
      throw new UsageError(
        `The server has no prompt '${name}'.${didYouMean(name, names)}`,
        names.length > 0 ? `Its prompts: ${names.join(', ')}` : undefined,
      );
    }
    const declared = prompt.arguments ?? [];
    const missing = declared.filter((a) => a.required && !(a.name in args)).map((a) => a.name);
    if (missing.length > 0) {
      const list = declared
        .map(
          (a) => `  ${a.name}${a.required ? ' (required)' : ''}${a.description ? `  ${a.description}` : ''}`,
        )
        .join('\n');
      throw new UsageError(
        `The prompt '${name}' needs ${missing.map((m) => `${m}=…`).join(' ')}.`,
        `Arguments:\n${list}`,
      );
    }
    const result = await client.getPrompt(name, Object.keys(args).length > 0 ? args : undefined);
    if (options.json) printJson(term, result);
    else term.print(renderPrompt(result, term.out));
    return 0;
  });
}
