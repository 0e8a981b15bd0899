/** A local HTTP server that counts every connection made to it: the target of `$ref`s that must not be fetched. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running counting server. */
export interface RefTarget {
  /** `host:port` of the server. */
  readonly host: string;
  /** Connections made to it so far (plain HTTP requests and TLS attempts alike). */
  connections(): number;
  /** Stops the server. */
  close(): Promise<void>;
}

let shared: Promise<RefTarget> | undefined;

/** Starts the counting server once per process; later calls share it. */
export function refTarget(): Promise<RefTarget> {
  shared ??= start();
  return shared;
}

async function start(): Promise<RefTarget> {
  let count = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/schema+json' });
    res.end('{"type":"string"}');
  });
  server.on('connection', () => {
    count++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
