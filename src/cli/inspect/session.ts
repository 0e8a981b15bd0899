/**
 * The inspector's connection to one MCP server: the same target, transports, era and revision
 * options and OAuth as the other commands, every message tapped into the event stream, and the
 * server's requests put on the board for the page to answer.
 */
import { Writable } from 'node:stream';
import { McpClient } from '../../client/index.ts';
import { isLegacyRevision, type LegacyRevision, McpError } from '../../protocol/index.ts';
import { CliAuth, hasAuthorizationHeader } from '../auth/cli-auth.ts';
import { CliError, ConnectionError, UsageError } from '../errors.ts';
import { parseTimeout } from '../session.ts';
import {
  connectTarget,
  exitOf,
  networkReason,
  parseHeaders,
  resolveTarget,
  type Target,
  type TargetConnection,
} from '../target.ts';
import { Terminal } from '../terminal.ts';
import { VERSION } from '../version.ts';
import type { AskBoard } from './asks.ts';
import type { EventHub } from './events.ts';
import { tapTransport } from './tap.ts';

/** Where to connect and how, as the page or the command line asks. */
export interface ConnectSpec {
  /** The server's URL. */
  url?: string;
  /** A command line that starts a stdio server. */
  stdio?: string;
  /** 'auto', 'modern' or 'legacy'. */
  era?: string;
  /** A stateful revision to pin (implies the legacy era). */
  protocolVersion?: string;
  /** 'auto', 'streamable-http' or 'sse'. */
  transport?: string;
}

/** Options from the command line that every connection uses. */
export interface SessionDefaults {
  /** `KEY=VALUE` for a stdio server given on the command line. */
  env?: string[];
  /** Working directory of a stdio server given on the command line. */
  cwd?: string;
  /** `Name: value` headers for HTTP. */
  header?: string[];
  /** Request timeout, ms (text). */
  timeout?: string;
  /** Start the system browser for an OAuth login. */
  browser: boolean;
}

/** One connection's parts. */
interface Live {
  client: McpClient;
  target: Target;
  connection: TargetConnection;
  auth: CliAuth | undefined;
  spec: ConnectSpec;
  /** Counts connections: the page tells a new one from the replay of one it already shows. */
  epoch: number;
}

/** The connection the page drives; at most one at a time. */
export class InspectSession {
  readonly #hub: EventHub;
  readonly #board: AskBoard;
  readonly #defaults: SessionDefaults;
  readonly #term: Terminal;
  #live: Live | undefined;
  #last: ConnectSpec | undefined;
  #epoch = 0;
  #connecting = false;

  constructor(hub: EventHub, board: AskBoard, defaults: SessionDefaults) {
    this.#hub = hub;
    this.#board = board;
    this.#defaults = defaults;
    const notes = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const text = chunk.toString('utf8');
        process.stderr.write(text);
        hub.emit('note', { text: text.trimEnd() });
        done();
      },
    });
    this.#term = new Terminal({ stdout: process.stdout, stderr: notes, stdin: process.stdin });
  }

  /** The connected client, or an error that says to connect first. */
  get client(): McpClient {
    if (!this.#live) throw new UsageError('Not connected: connect to a server first.');
    return this.#live.client;
  }

  /** What the page shows: the target, the server, its revision and era, the roots. */
  state(): Record<string, unknown> {
    const live = this.#live;
    const base = { last: this.#last, roots: this.#board.roots, pending: this.#board.pending() };
    if (!live) return { ...base, connected: false, connecting: this.#connecting };
    const c = live.client;
    return {
      ...base,
      connected: true,
      epoch: live.epoch,
      target: live.target.text,
      kind: live.target.kind,
      transport: live.connection.describe(),
      serverInfo: c.serverInfo,
      capabilities: c.serverCapabilities,
      instructions: c.instructions,
      revision: c.revision,
      era: c.era,
      oauth: live.auth !== undefined,
    };
  }

  /** Connects as `spec` says, closing any previous connection first. */
  async connect(spec: ConnectSpec): Promise<Record<string, unknown>> {
    try {
      return await this.#open(spec);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const details = error instanceof CliError ? error.details : undefined;
      this.#hub.emit('connect-failed', { message, details });
      throw error;
    }
  }

  async #open(spec: ConnectSpec): Promise<Record<string, unknown>> {
    await this.disconnect();
    const epoch = ++this.#epoch;
    this.#last = spec;
    const era = spec.era ?? 'auto';
    if (era !== 'auto' && era !== 'modern' && era !== 'legacy') {
      throw new UsageError(`The era is auto, modern or legacy, not '${era}'.`);
    }
    const version = spec.protocolVersion || undefined;
    // revision: validates a version the user typed
    if (version !== undefined && !isLegacyRevision(version)) {
      throw new UsageError(
        `Pin a stateful revision (2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25), not '${version}'; choose the modern era for 2026-07-28.`,
      );
    }
    if (version !== undefined && era === 'modern') {
      throw new UsageError(`Revision ${version} is of the legacy era; choose auto or legacy with it.`);
    }
    const url = spec.url?.trim() || undefined;
    const stdio = spec.stdio?.trim() || undefined;
    if (url === undefined && stdio === undefined) {
      throw new UsageError('Which server? Give its URL (http://host:port/mcp) or a stdio command line.');
    }
    const fromCommandLine = this.#defaults;
    const target = resolveTarget(stdio ? undefined : url, { stdio });
    const timeout = parseTimeout(fromCommandLine.timeout);
    const headers = parseHeaders(fromCommandLine.header);
    let auth: CliAuth | undefined;
    if (target.kind === 'url' && !hasAuthorizationHeader(headers)) {
      auth = await CliAuth.create({
        url: target.url,
        login: true,
        browser: fromCommandLine.browser,
        term: this.#term,
        timeoutMs: timeout,
      });
      await auth.preflight(headers);
    }
    const connection = connectTarget(
      target,
      {
        env: fromCommandLine.env,
        cwd: fromCommandLine.cwd,
        header: fromCommandLine.header,
        transport: spec.transport ?? 'auto',
      },
      (text) => this.#hub.emit('stderr', { text }),
      auth,
    );
    const transport = tapTransport(connection.transport, (direction, message) =>
      this.#hub.emit('message', { epoch, direction, time: Date.now(), message }),
    );
    const client = new McpClient({
      name: 'mcpkit-inspector',
      version: VERSION,
      title: 'mcpkit inspector',
      era: era === 'auto' ? (version ? 'legacy' : 'auto') : era,
      protocolVersion: version as LegacyRevision | undefined,
      timeout,
      handlers: this.#board.handlers(),
      capabilities: { elicitation: { form: {}, url: {} } },
    });
    client.on('log', (params) => this.#hub.emit('log', params));
    client.on('elicitationComplete', (id) => this.#hub.emit('elicitation-complete', { id }, false));
    client.on('close', (reason) => {
      if (this.#live?.client !== client) return;
      this.#live = undefined;
      this.#board.declineAll();
      this.#hub.emit('closed', { reason: reason?.message });
    });
    this.#hub.emit('connecting', { epoch, target: target.text, era, protocolVersion: version });
    try {
      this.#connecting = true;
      await client.connect(transport);
    } catch (error) {
      await client.close().catch(() => {});
      await auth?.close();
      throw explainConnect(error, target, connection, auth);
    } finally {
      this.#connecting = false;
    }
    // As the other commands do: log messages from 'info' up, until the page picks another level.
    if (client.serverCapabilities.logging) await client.setLoggingLevel('info').catch(() => {});
    this.#live = { client, target, connection, auth, spec, epoch };
    const state = this.state();
    this.#hub.emit('connected', state);
    return state;
  }

  /** Closes the connection (a stdio server is stopped). */
  async disconnect(): Promise<void> {
    const live = this.#live;
    if (!live) return;
    this.#live = undefined;
    this.#board.declineAll();
    await live.client.close().catch(() => {});
    await live.auth?.close();
    this.#hub.emit('closed', {});
  }

  /** What the page may know of the OAuth login: whether there is one, never the tokens themselves. */
  async authStatus(): Promise<Record<string, unknown>> {
    const auth = this.#live?.auth;
    if (!auth) return { oauth: false };
    const tokens = await auth.tokens().catch(() => undefined);
    if (!tokens) return { oauth: true, loggedIn: false };
    return {
      oauth: true,
      loggedIn: true,
      tokenType: tokens.tokenType,
      scope: tokens.scope,
      expiresAt: tokens.expiresAt,
      issuer: tokens.issuer,
      refreshable: tokens.refreshToken !== undefined,
      tokenEnd: tokens.accessToken.slice(-4),
    };
  }

  /** Forgets the stored tokens of the connected server. */
  async logout(): Promise<void> {
    const auth = this.#live?.auth;
    if (!auth) throw new UsageError('This connection does not use OAuth.');
    await auth.forget();
  }
}

/** Turns a failure to connect into an error that says what was tried. */
function explainConnect(
  error: unknown,
  target: Target,
  connection: TargetConnection,
  auth: CliAuth | undefined,
): CliError {
  if (auth?.failure) return auth.failure;
  if (error instanceof CliError) return error;
  const exited = exitOf(error);
  if (target.kind === 'stdio') {
    const tail = connection.stderrTail().trim();
    const why = exited ? exited.message : `could not connect: ${(error as Error).message}`;
    return new ConnectionError(
      `The stdio server '${target.text}': ${why}`,
      tail ? `The end of its stderr:\n${tail}` : undefined,
    );
  }
  if (error instanceof McpError) {
    return new ConnectionError(
      `The server ${target.text} refused the connection (error ${error.code}): ${error.message}`,
    );
  }
  const tried = connection.attempts.map((a) => `  ${a.method} ${a.url} → ${a.outcome}`).join('\n');
  return new ConnectionError(
    `Could not connect to ${target.text}: ${networkReason(error)}`,
    tried ? `Tried:\n${tried}` : undefined,
  );
}
