/** Runs a command against a server: opens the session, runs the body, closes, maps errors. */
import { UsageError } from '../errors.ts';
import { type ClientOptions, ClientSession } from '../session.ts';
import type { Terminal } from '../terminal.ts';

/** The positional words of a client command, with the target split off unless `--stdio` is given. */
export interface Positionals {
  /** The URL, or undefined with --stdio. */
  target: string | undefined;
  /** The words after it. */
  rest: string[];
}

/** Splits the positional words: the first is the URL unless `--stdio` says where the server is. */
export function splitTarget(words: readonly string[], options: ClientOptions): Positionals {
  if (options.stdio !== undefined) return { target: undefined, rest: [...words] };
  return { target: words[0], rest: words.slice(1) };
}

/** The word at `index` of the rest, or a usage error naming what is missing. */
export function need(p: Positionals, index: number, what: string, usage: string): string {
  const word = p.rest[index];
  if (word === undefined) throw new UsageError(`Missing ${what}. Usage: ${usage}`);
  return word;
}

/** Opens a session, runs `body`, and closes the session whatever happens; returns the exit code. */
export async function withSession(
  target: string | undefined,
  options: ClientOptions,
  term: Terminal,
  body: (session: ClientSession) => Promise<number | undefined>,
): Promise<number> {
  const session = await ClientSession.open(target, options, term);
  try {
    return (await body(session)) ?? 0;
  } catch (error) {
    throw session.explain(error);
  } finally {
    await session.close();
  }
}

/** Prints a value as JSON on stdout. */
export function printJson(term: Terminal, value: unknown): void {
  term.print(JSON.stringify(value, null, 2));
}
