/**
 * `mcpkit complete <target> <ref> <argument>=<partial> [name=value …]`: completion suggestions for a
 * prompt argument (`prompt:<name>`) or a resource template variable (`resource:<template>`, or the
 * template itself); further pairs are the arguments already chosen (context).
 */
import type { CompleteParams } from '../../protocol/index.ts';
import { UsageError } from '../errors.ts';
import type { ClientOptions } from '../session.ts';
import type { Terminal } from '../terminal.ts';
import { parsePairs, stringArguments } from '../tool-args.ts';
import { need, printJson, splitTarget, withSession } from './run.ts';

const USAGE = 'mcpkit complete <url> prompt:<name>|resource:<template> <argument>=<partial> [name=value ...]';

/** The reference a completion is for. */
export function parseReference(text: string): CompleteParams['ref'] {
  if (text.startsWith('prompt:')) return { type: 'ref/prompt', name: text.slice('prompt:'.length) };
  if (text.startsWith('resource:')) return { type: 'ref/resource', uri: text.slice('resource:'.length) };
  if (text.includes('://') || text.includes('{')) return { type: 'ref/resource', uri: text };
  return { type: 'ref/prompt', name: text };
}

/** Runs `complete`. */
export async function completeCommand(
  words: string[],
  options: ClientOptions,
  term: Terminal,
): Promise<number> {
  const p = splitTarget(words, options);
  const ref = parseReference(need(p, 0, 'what to complete (prompt:<name> or resource:<template>)', USAGE));
  const pair = parsePairs(
    [need(p, 1, 'the argument to complete, as name=partial', USAGE)],
    'the argument',
  )[0];
  if (!pair) throw new UsageError(`Usage: ${USAGE}`);
  const context = stringArguments(p.rest.slice(2), 'the context arguments');
  return withSession(p.target, options, term, async ({ client }) => {
    const params: Omit<CompleteParams, '_meta'> = { ref, argument: { name: pair.key, value: pair.value } };
    if (Object.keys(context).length > 0) params.context = { arguments: context };
    const result = await client.complete(params);
    if (options.json) {
      printJson(term, result.completion);
      return 0;
    }
    const { values, total, hasMore } = result.completion;
    if (values.length > 0) term.print(values.join('\n'));
    else term.note(term.err.dim('No suggestions.'));
    if (hasMore || (typeof total === 'number' && total > values.length)) {
      term.note(
        term.err.dim(
          `(${values.length} shown${typeof total === 'number' ? ` of ${total}` : ''}; there are more)`,
        ),
      );
    }
    return 0;
  });
}
