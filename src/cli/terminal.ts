/**
 * The terminal the command talks to: results on stdout, everything else (logs, progress, questions)
 * on stderr, colours only where a terminal shows them, and answers read line by line from stdin.
 */
import { createInterface, type Interface } from 'node:readline';
import picocolors from 'picocolors';

/** Colour functions (identity functions when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** The streams a Terminal uses. */
export interface TerminalStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

function colorsFor(stream: { isTTY?: boolean }): Colors {
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const enabled = forced || (stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb');
  return picocolors.createColors(enabled);
}

/** Writes results, notes and a status line; asks questions. */
export class Terminal {
  /** Colours for stdout. */
  readonly out: Colors;
  /** Colours for stderr. */
  readonly err: Colors;
  readonly #streams: TerminalStreams;
  #status: string | undefined;
  #lines: AsyncIterator<string> | undefined;
  #reader: Interface | undefined;
  #asking: Promise<unknown> = Promise.resolve();

  constructor(streams: TerminalStreams = process) {
    this.#streams = streams;
    this.out = colorsFor(streams.stdout);
    this.err = colorsFor(streams.stderr);
  }

  /** Whether stdout is a terminal. */
  get stdoutIsTTY(): boolean {
    return this.#streams.stdout.isTTY === true;
  }

  /** Whether stdin is a terminal (someone is there to log in in a browser). */
  get stdinIsTTY(): boolean {
    return this.#streams.stdin.isTTY === true;
  }

  /** Columns of the terminal on stdout (80 when it is not one). */
  get width(): number {
    return this.#streams.stdout.columns ?? 80;
  }

  /** Writes text to stdout (a newline is added unless it ends with one). */
  print(text: string): void {
    this.#clearStatus();
    this.#streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    this.#redrawStatus();
  }

  /** Writes raw bytes to stdout. */
  write(bytes: Uint8Array): void {
    this.#clearStatus();
    this.#streams.stdout.write(bytes);
  }

  /** Writes a line to stderr. */
  note(text: string): void {
    this.#clearStatus();
    this.#streams.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    this.#redrawStatus();
  }

  /**
   * Shows a status line on stderr: redrawn in place on a terminal, one line per update elsewhere.
   * `undefined` removes it.
   */
  status(line: string | undefined): void {
    const stderr = this.#streams.stderr;
    if (stderr.isTTY !== true) {
      if (line !== undefined) stderr.write(`${line}\n`);
      return;
    }
    this.#clearStatus();
    this.#status = line;
    this.#redrawStatus();
  }

  #clearStatus(): void {
    if (this.#status !== undefined && this.#streams.stderr.isTTY === true)
      this.#streams.stderr.write('\r\x1b[2K');
  }

  #redrawStatus(): void {
    if (this.#status !== undefined && this.#streams.stderr.isTTY === true)
      this.#streams.stderr.write(this.#status);
  }

  /**
   * Asks a question on stderr and reads one line of stdin; undefined when stdin has ended. Questions
   * are asked one at a time.
   */
  ask(question: string): Promise<string | undefined> {
    const next = this.#asking.then(async () => {
      this.#clearStatus();
      this.#streams.stderr.write(question);
      const line = await this.#nextLine();
      if (this.#streams.stdin.isTTY !== true) this.#streams.stderr.write(`${line ?? ''}\n`);
      this.#redrawStatus();
      return line;
    });
    this.#asking = next.catch(() => {});
    return next;
  }

  async #nextLine(): Promise<string | undefined> {
    if (!this.#lines) {
      this.#reader = createInterface({ input: this.#streams.stdin, terminal: false, crlfDelay: Infinity });
      this.#lines = this.#reader[Symbol.asyncIterator]();
    }
    const { value, done } = await this.#lines.next();
    return done ? undefined : value;
  }

  /** Stops reading stdin and removes the status line. */
  close(): void {
    this.status(undefined);
    this.#reader?.close();
  }
}
