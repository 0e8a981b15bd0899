/** The client side of the stdio transport: starts the server as a child process and talks over its pipes. */
import type { ChildProcess } from 'node:child_process';
import {
  ConnectionClosedError,
  ErrorCode,
  errorResponse,
  type JsonRpcMessage,
  LocalError,
} from '../protocol/index.ts';
import type { Transport, TransportSink } from '../rpc/index.ts';
import { encodeMessage, LineDecoder, oversizeFrameMessage, readFrameHead } from '../transport/stdio.ts';
import { FrameWriter } from './stdio-server.ts';

/** Options of a StdioClientTransport. */
export interface StdioClientTransportOptions {
  /** The program to run; it is started without a shell. */
  command: string;
  /** Its arguments. */
  args?: string[];
  /** Variables added to the safe default environment (see getDefaultEnvironment). */
  env?: Record<string, string>;
  /** Its working directory (default: this process's). */
  cwd?: string;
  /** What to do with its stderr: keep it (and pass it to `onStderr`), share ours, or drop it (default 'pipe'). */
  stderr?: 'pipe' | 'inherit' | 'ignore';
  /** The largest message accepted, in bytes (default 4 MiB). */
  maxFrameBytes?: number;
  /** How long close() waits after closing stdin, and again after SIGTERM, before the next step (default 2000 ms). */
  shutdownTimeoutMs?: number;
  /** Receives the server's stderr text as it arrives (when `stderr` is 'pipe'). */
  onStderr?: (text: string) => void;
  /** Problems with no caller to report to (an oversize message); default: a process warning. */
  onError?: (error: Error) => void;
}

/** Variables passed on to a child server by default on POSIX systems. */
const POSIX_INHERITED = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

/** Variables passed on to a child server by default on Windows. */
const WINDOWS_INHERITED = [
  'APPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATH',
  'PATHEXT',
  'PROCESSOR_ARCHITECTURE',
  'PROGRAMFILES',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'WINDIR',
];

/**
 * The environment a child server gets unless told otherwise: only the few variables a program needs
 * to run, never the parent's secrets. Values that look like exported shell functions are left out.
 */
export function getDefaultEnvironment(): Record<string, string> {
  const names = process.platform === 'win32' ? WINDOWS_INHERITED : POSIX_INHERITED;
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined || value.startsWith('()')) continue;
    env[name] = value;
  }
  return env;
}

/** The child server exited or was killed while the connection was open. */
export class ProcessExitedError extends ConnectionClosedError {
  /** The exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines the server wrote to stderr (empty when stderr was not piped). */
  readonly stderrTail: string;

  constructor(command: string, exitCode: number | null, signal: NodeJS.Signals | null, stderrTail: string) {
    const how = signal ? `was killed by signal ${signal}` : `exited with code ${exitCode}`;
    const tail = stderrTail.trim();
    super(
      `The MCP server '${command}' ${how}` +
        (tail ? `; the end of its stderr:\n${tail}` : '; it wrote nothing to stderr.'),
    );
    this.name = 'ProcessExitedError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

const TAIL_LINES = 20;
const TAIL_CHARS = 8 * 1024;

/** Keeps the last lines of a text stream, bounded in lines and characters. */
class TextTail {
  #text = '';

  add(text: string): void {
    let next = this.#text + text;
    if (next.length > TAIL_CHARS) next = next.slice(next.length - TAIL_CHARS);
    this.#text = next;
  }

  toString(): string {
    const lines = this.#text.split('\n');
    const complete = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
    return complete.slice(-TAIL_LINES).join('\n');
  }
}

const DEFAULT_SHUTDOWN_TIMEOUT = 2000;
/** After exit, how long to wait for the pipes to close (a grandchild may hold them open). */
const PIPE_CLOSE_GRACE = 1000;

/** A stdio transport that runs an MCP server as a child process. */
export class StdioClientTransport implements Transport {
  readonly #options: StdioClientTransportOptions;
  readonly #decoder: LineDecoder;
  readonly #tail = new TextTail();
  readonly #onError: (error: Error) => void;
  #child: ChildProcess | undefined;
  #writer: FrameWriter | undefined;
  #sink: TransportSink | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  #exited: Promise<void> | undefined;

  constructor(options: StdioClientTransportOptions) {
    this.#options = options;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#decoder = new LineDecoder({
      maxFrameBytes: options.maxFrameBytes,
      onOversize: (limit, head) => this.#dropOversize(limit, head),
    });
  }

  /** The child's process id, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The child's exit code once it has exited normally, else null. */
  get exitCode(): number | null {
    return this.#child?.exitCode ?? null;
  }

  /** The signal that ended the child, once it has, else null. */
  get exitSignal(): NodeJS.Signals | null {
    return this.#child?.signalCode ?? null;
  }

  /** The last lines the child wrote to stderr (when piped). */
  get stderrTail(): string {
    return this.#tail.toString();
  }

  /** Starts the server process; rejects, naming the command, if it cannot be started. */
  async start(sink: TransportSink): Promise<void> {
    if (this.#child || this.#sink) throw new Error('StdioClientTransport is already started; start it once.');
    this.#sink = sink;
    // Imported here, not with `mcpkit/node`: a server that spawns nothing does not load it.
    const { spawn } = await import('node:child_process');
    if (this.#closed) throw new LocalError('StdioClientTransport was closed before its server was started.');
    const { command, args = [], cwd } = this.#options;
    const stderr = this.#options.stderr ?? 'pipe';
    const where = cwd === undefined ? '' : ` in '${cwd}'`;
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd,
        env: { ...getDefaultEnvironment(), ...this.#options.env },
        shell: false,
        stdio: ['pipe', 'pipe', stderr],
        windowsHide: true,
      });
    } catch (error) {
      this.#closed = true;
      throw new LocalError(
        `Could not start the MCP server '${command}'${where}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      const onSpawn = () => {
        child.off('error', onError);
        resolve();
      };
      const onError = (error: NodeJS.ErrnoException) => {
        child.off('spawn', onSpawn);
        this.#closed = true;
        const hint =
          error.code === 'ENOENT' ? ' (is it installed and on PATH, and does the directory exist?)' : '';
        reject(
          new LocalError(`Could not start the MCP server '${command}'${where}: ${error.message}${hint}`, {
            cause: error,
          }),
        );
      };
      child.once('spawn', onSpawn);
      child.once('error', onError);
    });
    this.#attach(child);
  }

  #attach(child: ChildProcess): void {
    const stdin = child.stdin!;
    const stdout = child.stdout!;
    // A failed write means the child is gone; its exit is reported through 'close' below.
    this.#writer = new FrameWriter(stdin, "the MCP server's stdin", () => {});
    child.on('error', (error) => this.#onError(error));
    stdout.on('data', (chunk: Uint8Array) => {
      for (const frame of this.#decoder.push(chunk)) {
        if (this.#closed) return;
        this.#sink?.receiveText(frame);
      }
    });
    stdout.on('end', () => {
      for (const frame of this.#decoder.flush()) if (!this.#closed) this.#sink?.receiveText(frame);
    });
    stdout.on('error', (error) => this.#onError(error));
    if (child.stderr) {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        this.#tail.add(text);
        this.#options.onStderr?.(text);
      });
      child.stderr.on('error', (error) => this.#onError(error));
    }
    this.#exited = new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      child.once('exit', () => {
        timer = setTimeout(done, PIPE_CLOSE_GRACE);
        timer.unref();
      });
      child.once('close', done);
    });
    this.#exited.then(() => this.#onExit(child));
  }

  #onExit(child: ChildProcess): void {
    if (this.#closing || this.#closed) return;
    this.#closed = true;
    this.#writer?.close();
    const { exitCode, signalCode } = child;
    const reason =
      exitCode === 0 && signalCode === null
        ? undefined
        : new ProcessExitedError(this.#options.command, exitCode, signalCode, this.#tail.toString());
    this.#sink?.closed(reason);
  }

  /**
   * An answer over the limit fails its request at once; a request over it is refused with -32600;
   * anything else (no readable id) is reported to onError.
   */
  #dropOversize(limit: number, head: string): void {
    const hint = 'maxFrameBytes of StdioClientTransport';
    const frame = readFrameHead(head);
    if (frame?.kind === 'response' && this.#sink?.failed) {
      const message = `The MCP server's answer to request ${JSON.stringify(frame.id)} was dropped: it is larger than the ${limit}-byte frame limit; raise ${hint} or ask for less.`;
      this.#sink.failed(frame.id, new LocalError(message));
      return;
    }
    const message = oversizeFrameMessage(limit, hint);
    this.#onError(new Error(message));
    if (frame?.kind === 'request' && !this.#closed) {
      this.send(errorResponse(frame.id, ErrorCode.InvalidRequest, message)).catch(() => {});
    }
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed || this.#closing || !this.#writer) {
      return Promise.reject(new ConnectionClosedError('The stdio transport to the MCP server is closed.'));
    }
    return this.#writer.write(encodeMessage(message));
  }

  /** Shuts the server down: closes its stdin, then SIGTERM, then SIGKILL, waiting between each. */
  close(): Promise<void> {
    if (!this.#closing) this.#closing = this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const child = this.#child;
    const exited = this.#exited;
    const wasClosed = this.#closed;
    this.#closed = true;
    if (child && exited && child.exitCode === null && child.signalCode === null) {
      const wait = this.#options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT;
      this.#writer?.close();
      child.stdin?.end();
      if (!(await settlesWithin(exited, wait))) {
        child.kill('SIGTERM');
        if (!(await settlesWithin(exited, wait))) {
          child.kill('SIGKILL');
          await exited;
        }
      }
    }
    if (!wasClosed) this.#sink?.closed();
  }
}

/** Whether the promise settles within `ms` milliseconds. */
function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
