/**
 * Splits the command line given to `--stdio` into a program and its arguments, the way a POSIX
 * shell would for plain words and quotes, without running a shell: no variables, globs or pipes.
 * Leading `NAME=value` words become environment variables of the program.
 */
import { UsageError } from './errors.ts';

/** A command line taken apart. */
export interface CommandLine {
  /** The program to run. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Variables set by leading `NAME=value` words. */
  env: Record<string, string>;
}

/** Splits text into words: whitespace separates, quotes and backslashes group, as in `sh`. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new UsageError(`Unterminated ' quote in the command line: ${text}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) throw new UsageError(`Unterminated " quote in the command line: ${text}`);
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < text.length && text[i + 1] !== '\n') {
        word += text[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Parses a `--stdio` command line. */
export function parseCommandLine(text: string): CommandLine {
  const words = splitWords(text);
  const env: Record<string, string> = {};
  while (words.length > 0) {
    const m = ASSIGNMENT.exec(words[0] as string);
    if (!m) break;
    env[m[1] as string] = m[2] as string;
    words.shift();
  }
  const command = words.shift();
  if (command === undefined || command === '') {
    throw new UsageError(
      `--stdio needs a command to run, e.g. --stdio "npx -y some-mcp-server"; got '${text}'.`,
    );
  }
  return { command, args: words, env };
}
