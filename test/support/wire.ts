/** A raw wire into a server: send exact text, read exact messages. For tests of what goes on the wire. */
import type { JsonRpcMessage } from '../../src/protocol/index.ts';
import type { Transport, TransportSink } from '../../src/rpc/index.ts';
import type { McpServer } from '../../src/server/index.ts';

/** One end of a raw wire. */
export interface Wire {
  /** Sends a message (object) or raw text. */
  send(message: unknown): void;
  /** The next message the server sends (waits up to 2 s). */
  next(): Promise<JsonRpcMessage & Record<string, unknown>>;
  /** Sends a request and waits for the response with its id, collecting what came before it. */
  call(
    method: string,
    params?: Record<string, unknown>,
    id?: string | number,
  ): Promise<{ response: Record<string, unknown>; before: Record<string, unknown>[] }>;
  /** Performs initialize + initialized at a revision; returns the initialize result. */
  initialize(
    protocolVersion: string,
    capabilities?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  /** Messages received and not yet taken. */
  readonly queue: Record<string, unknown>[];
  /** Closes the wire. */
  close(): Promise<void>;
}

let ids = 1000;

/** Connects a raw wire to a server. */
export async function connectWire(server: McpServer): Promise<Wire> {
  const queue: Record<string, unknown>[] = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  let sink: TransportSink | undefined;
  const transport: Transport = {
    start(s) {
      sink = s;
    },
    send(message) {
      const m = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
      const w = waiters.shift();
      if (w) w(m);
      else queue.push(m);
    },
    async close() {
      sink?.closed();
    },
  };
  await server.connect(transport);
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const m = queue.shift();
      if (m) return resolve(m);
      const timer = setTimeout(() => reject(new Error('No message within 2 s')), 2000);
      waiters.push((msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
  const wire: Wire = {
    queue,
    send(message) {
      if (typeof message === 'string') sink?.receiveText(message);
      else sink?.receiveText(JSON.stringify(message));
    },
    next: next as Wire['next'],
    async call(method, params, id = ids++) {
      wire.send(
        params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params },
      );
      const before: Record<string, unknown>[] = [];
      for (;;) {
        const m = await next();
        if (m.id === id && !('method' in m)) return { response: m, before };
        before.push(m);
      }
    },
    async initialize(protocolVersion, capabilities = {}) {
      const { response } = await wire.call('initialize', {
        protocolVersion,
        capabilities,
        clientInfo: { name: 'wire', version: '1.0.0' },
      });
      wire.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      return response.result as Record<string, unknown>;
    },
    close: () => transport.close(),
  };
  return wire;
}
