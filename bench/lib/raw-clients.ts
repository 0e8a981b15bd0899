/**
 * The raw baseline's clients: newline-delimited JSON over a child's pipes, and `fetch` with
 * JSON.parse (JSON answers) or a one-event SSE read (stateful answers). No SDK anywhere.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type Contender, type ProcessPolicy, pinProcess, serverArgv, serverEnv, stopChild } from './proc.ts';

interface RpcAnswer {
  id?: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

const PROTOCOL = '2025-11-25';

const INITIALIZE = {
  protocolVersion: PROTOCOL,
  capabilities: {},
  clientInfo: { name: 'raw-bench', version: '1.0.0' },
};

/** A JSON-RPC connection to a child over its stdin and stdout, one message per line. */
export class RawStdioConnection {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (answer: RpcAnswer) => void>();
  #nextId = 1;
  #parts: string[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.#onData(chunk));
    child.once('exit', () => {
      for (const resolve of this.#pending.values()) {
        resolve({ error: { code: -1, message: 'the server exited' } });
      }
      this.#pending.clear();
    });
  }

  /** Spawns a contender's stdio server (it need not be raw) without initializing it. */
  static spawn(contender: Contender, tools: number, policy: ProcessPolicy): RawStdioConnection {
    const child = spawn(process.execPath, serverArgv(contender, 'stdio', tools, policy), {
      env: serverEnv(contender),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (policy.serverCpu !== undefined && child.pid !== undefined) pinProcess(child.pid, policy.serverCpu);
    return new RawStdioConnection(child);
  }

  /** The server's process id. */
  get pid(): number {
    return this.#child.pid!;
  }

  /** Splits lines, looking at each character once (only the new chunk is searched). */
  #onData(chunk: string): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      this.#parts.push(chunk.slice(start, newline));
      const line = this.#parts.length === 1 ? this.#parts[0] : this.#parts.join('');
      this.#parts = [];
      this.#deliver(JSON.parse(line) as RpcAnswer);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.#parts.push(chunk.slice(start));
  }

  #deliver(answer: RpcAnswer): void {
    if (typeof answer.id !== 'number') return;
    const resolve = this.#pending.get(answer.id);
    this.#pending.delete(answer.id);
    resolve?.(answer);
  }

  /** Sends a request and resolves with its result; rejects on an error answer. */
  request(method: string, params: object): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (answer) => {
        if (answer.error) reject(new Error(`${method}: ${answer.error.message}`));
        else resolve(answer.result ?? {});
      });
      this.#child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  /** Sends a notification. */
  notify(method: string): void {
    this.#child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', method }) + '\n');
  }

  /** Performs the initialize handshake. */
  async initialize(): Promise<void> {
    await this.request('initialize', INITIALIZE);
    this.notify('notifications/initialized');
  }

  /** Ends stdin and waits for the child to exit. */
  close(): Promise<void> {
    this.#child.stdin!.end();
    return stopChild(this.#child);
  }
}

/** How a raw HTTP client talks: stateless JSON, or a session with SSE answers. */
export type RawHttpFlavor = 'stateless' | 'stateful';

/** A raw HTTP JSON-RPC client built on fetch. */
export class RawHttpConnection {
  readonly #url: string;
  readonly #flavor: RawHttpFlavor;
  #sessionId: string | undefined;
  #nextId = 1;
  #stream: AbortController | undefined;
  /** Held: undici cancels the body of a response that is garbage-collected, which would close the stream. */
  #streamResponse: Response | undefined;

  constructor(url: string, flavor: RawHttpFlavor) {
    this.#url = url;
    this.#flavor = flavor;
  }

  /** The session id, once initialized in stateful mode. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': PROTOCOL,
    };
    if (this.#sessionId) headers['mcp-session-id'] = this.#sessionId;
    return headers;
  }

  /** Sends a request and resolves with its result. */
  async request(method: string, params: object): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: this.#headers(),
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    if (!response.ok) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
    const session = response.headers.get('mcp-session-id');
    if (session) this.#sessionId = session;
    const text = await response.text();
    const answer = JSON.parse(
      response.headers.get('content-type')?.includes('event-stream') ? sseData(text) : text,
    );
    if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
    return answer.result as Record<string, unknown>;
  }

  /** Sends a notification and expects 202. */
  async notify(method: string): Promise<void> {
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: this.#headers(),
      body: JSON.stringify({ jsonrpc: '2.0', method }),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`${method}: HTTP ${response.status}, expected 202`);
  }

  /** Performs the initialize handshake (and learns the session id in stateful mode). */
  async initialize(): Promise<void> {
    await this.request('initialize', INITIALIZE);
    if (this.#flavor === 'stateful' && !this.#sessionId) throw new Error('initialize: no Mcp-Session-Id');
    await this.notify('notifications/initialized');
  }

  /** Opens the session's standalone GET stream and leaves it open (nothing is read from it). */
  async openGetStream(): Promise<void> {
    const headers = this.#headers();
    delete headers['content-type'];
    headers.accept = 'text/event-stream';
    this.#stream = new AbortController();
    const response = await fetch(this.#url, { method: 'GET', headers, signal: this.#stream.signal });
    if (response.status !== 200) throw new Error(`GET stream: HTTP ${response.status}, expected 200`);
    this.#streamResponse = response;
  }

  /** Closes the GET stream, if one is open. */
  close(): void {
    this.#streamResponse?.body?.cancel().catch(() => {});
    this.#stream?.abort();
    this.#stream = undefined;
    this.#streamResponse = undefined;
  }
}

/** The data of the one `message` event of an SSE body that answers a single request. */
function sseData(text: string): string {
  for (const block of text.split('\n\n')) {
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('data:')) data += line.slice(line.charAt(5) === ' ' ? 6 : 5);
    }
    if (data.length > 0) return data;
  }
  throw new Error(`no data event in the SSE answer: ${text.slice(0, 200)}`);
}
