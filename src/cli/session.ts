/**
 * A connected client for one command: the target's transport, an McpClient with the terminal's
 * handlers, logs and progress on stderr, and errors turned into messages that say what happened.
 */
import { McpClient } from '../client/index.ts';
import {
  ConnectionClosedError,
  isLegacyRevision,
  LOGGING_LEVELS,
  LocalError,
  type LoggingLevel,
  McpError,
  MissingCapabilityError,
  RequestTimeoutError,
} from '../protocol/index.ts';
import { CliAuth, hasAuthorizationHeader } from './auth/cli-auth.ts';
import { CliError, ConnectionError, ExitCode, UsageError } from './errors.ts';
import { terminalHandlers } from './input.ts';
import { showActivity } from './progress.ts';
import {
  connectTarget,
  exitOf,
  networkReason,
  parseHeaders,
  resolveTarget,
  type Target,
  type TargetConnection,
  type TargetOptions,
} from './target.ts';
import type { Terminal } from './terminal.ts';
import { VERSION } from './version.ts';

/** Options shared by every command that talks to a server. */
export interface ClientOptions extends TargetOptions {
  /** Print raw JSON. */
  json?: boolean;
  /** Answer the server's questions at the terminal (`--no-input` sets it false). */
  input?: boolean;
  /** Request timeout in ms. */
  timeout?: string;
  /** Which era to speak. */
  era?: string;
  /** A stateful revision to ask for. */
  protocolVersion?: string;
  /** The least severe log level to receive ('none': do not ask). */
  logLevel?: string;
  /** No progress, no logs. */
  quiet?: boolean;
  /** Directories offered as roots. */
  root?: string[];
}

/** A connected client, ready for one command. */
export class ClientSession {
  /** The connected client. */
  readonly client: McpClient;
  /** Where the server is. */
  readonly target: Target;
  /** The transport to it, and what it tried. */
  readonly connection: TargetConnection;
  /** The terminal the command prints to. */
  readonly term: Terminal;
  /** The command's options. */
  readonly options: ClientOptions;
  /** OAuth for a URL target (absent for stdio, or when -H gives an Authorization header). */
  readonly auth: CliAuth | undefined;
  #stopActivity: () => void = () => {};

  private constructor(
    client: McpClient,
    target: Target,
    connection: TargetConnection,
    term: Terminal,
    options: ClientOptions,
    auth: CliAuth | undefined,
  ) {
    this.auth = auth;
    this.client = client;
    this.target = target;
    this.connection = connection;
    this.term = term;
    this.options = options;
  }

  /**
   * Resolves the target, connects, and sets the log level. A URL target uses the stored login, and
   * logs in in a browser when the server asks and stdin is a terminal (`auth` replaces that choice).
   */
  static async open(
    positional: string | undefined,
    options: ClientOptions,
    term: Terminal,
    auth?: CliAuth,
  ): Promise<ClientSession> {
    const target = resolveTarget(positional, options);
    const era = options.era ?? 'auto';
    if (era !== 'auto' && era !== 'modern' && era !== 'legacy') {
      throw new UsageError(`--era is auto, modern or legacy, not '${era}'.`);
    }
    const version = options.protocolVersion;
    // revision: validates a version the user typed
    if (version !== undefined && !isLegacyRevision(version)) {
      throw new UsageError(
        `--protocol-version takes a stateful revision (2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25), not '${version}'; use --era modern for 2026-07-28.`,
      );
    }
    const timeout = parseTimeout(options.timeout);
    const level = options.logLevel ?? 'info';
    if (level !== 'none' && !(LOGGING_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`--log-level is one of ${LOGGING_LEVELS.join(', ')} or none, not '${level}'.`);
    }
    const verbose = options.verbose === true;
    if (
      auth === undefined &&
      target.kind === 'url' &&
      !hasAuthorizationHeader(parseHeaders(options.header))
    ) {
      auth = await CliAuth.create({
        url: target.url,
        login: term.stdinIsTTY && options.input !== false,
        browser: !process.env.MCPKIT_NO_BROWSER,
        term,
        timeoutMs: timeout,
      });
    }
    await auth?.preflight(parseHeaders(options.header));
    const connection = connectTarget(
      target,
      options,
      verbose ? (text) => term.note(term.err.dim(text.trimEnd())) : undefined,
      auth,
    );
    const client = new McpClient({
      name: 'mcpkit',
      version: VERSION,
      title: 'mcpkit command line',
      era: era === 'auto' ? (version ? 'legacy' : 'auto') : era,
      protocolVersion: version,
      eraKey: target.text,
      timeout,
      handlers: terminalHandlers(term, { input: options.input !== false, roots: options.root }),
      capabilities: { elicitation: { form: {}, url: {} } },
    });
    const session = new ClientSession(client, target, connection, term, options, auth);
    session.#stopActivity = showActivity(term, client, options.quiet === true);
    try {
      await client.connect(connection.transport);
    } catch (error) {
      session.#stopActivity();
      await auth?.close();
      throw session.explainConnect(error);
    }
    if (verbose)
      term.note(
        term.err.dim(
          `connected to ${connection.describe()}, revision ${client.revision} (${client.era} era)`,
        ),
      );
    if (level !== 'none' && client.serverCapabilities.logging) {
      try {
        await client.setLoggingLevel(level as LoggingLevel);
      } catch (error) {
        if (verbose) term.note(term.err.dim(`could not set the log level: ${(error as Error).message}`));
      }
    }
    return session;
  }

  /** Closes the connection (stops the server when it is a child process). */
  async close(): Promise<void> {
    this.#stopActivity();
    await this.client.close().catch(() => {});
    await this.auth?.close();
  }

  /** Turns a failure to connect into an error that says what was tried. */
  explainConnect(error: unknown): CliError {
    if (this.auth?.failure) return this.auth.failure;
    if (error instanceof CliError) return error;
    const exited = exitOf(error);
    if (exited) return new ConnectionError(exited.message, undefined, { cause: error });
    const t = this.target;
    if (error instanceof McpError) {
      const data = error.data === undefined ? undefined : `data: ${JSON.stringify(error.data)}`;
      return new ConnectionError(
        `The server ${t.text} refused the connection (error ${error.code}): ${error.message}`,
        data,
        {
          cause: error,
        },
      );
    }
    if (t.kind === 'stdio') {
      const tail = this.connection.stderrTail().trim();
      const exit = error instanceof ConnectionClosedError ? this.connection.exitDescription() : undefined;
      return new ConnectionError(
        exit
          ? `The stdio server '${t.text}' ${exit} before it answered.`
          : `Could not connect to the stdio server '${t.text}': ${(error as Error).message}`,
        tail ? `The end of its stderr:\n${tail}` : undefined,
        { cause: error },
      );
    }
    const attempts = this.connection.attempts;
    const reason =
      attempts.length > 0 ? (attempts[attempts.length - 1]?.outcome ?? '') : networkReason(error);
    const tried = attempts.map((a) => `  ${a.method} ${a.url} → ${a.outcome}`).join('\n');
    const message = attempts.every((a) => !a.outcome.startsWith('HTTP'))
      ? `Could not reach ${t.text}: ${reason}.`
      : `Could not connect to ${t.text}: ${(error as Error).message}`;
    return new ConnectionError(message, tried ? `Tried:\n${tried}` : undefined, { cause: error });
  }

  /** Turns a failed request into an error for the user. */
  explain(error: unknown): CliError {
    if (this.auth?.failure) return this.auth.failure;
    if (error instanceof CliError) return error;
    const exited = exitOf(error);
    if (exited) return new ConnectionError(exited.message, undefined, { cause: error });
    if (error instanceof McpError) {
      const data = error.data === undefined ? undefined : `data: ${JSON.stringify(error.data, null, 2)}`;
      return new CliError(
        `The server answered with error ${error.code}: ${error.message}`,
        ExitCode.serverError,
        data,
        {
          cause: error,
        },
      );
    }
    if (error instanceof MissingCapabilityError) return new UsageError(error.message);
    if (error instanceof RequestTimeoutError) {
      return new ConnectionError(`${error.message} (use --timeout <ms> to wait longer).`, undefined, {
        cause: error,
      });
    }
    if (error instanceof ConnectionClosedError) {
      const tail = this.connection.stderrTail().trim();
      const exit = this.connection.exitDescription();
      const message = exit ? `The server '${this.target.text}' ${exit}.` : error.message;
      return new ConnectionError(message, tail ? `The end of the server's stderr:\n${tail}` : undefined, {
        cause: error,
      });
    }
    if (error instanceof LocalError)
      return new CliError(error.message, ExitCode.serverError, undefined, { cause: error });
    return new CliError(
      error instanceof Error ? error.message : String(error),
      ExitCode.serverError,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** Parses `--timeout`. */
export function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--timeout takes milliseconds (a positive number), not '${text}'.`);
  return n;
}
