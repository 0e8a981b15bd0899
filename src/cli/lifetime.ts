/** How long a serving command lives: until its transport closes, or until a signal asks it to stop. */
import type { Transport, TransportSink } from '../rpc/index.ts';

/** Wraps a transport so that `closed` resolves once it has closed. */
export function watchClose<T extends Transport>(
  transport: T,
): { transport: T; closed: Promise<Error | undefined> } {
  let resolve: (reason: Error | undefined) => void = () => {};
  const closed = new Promise<Error | undefined>((r) => {
    resolve = r;
  });
  const start = transport.start.bind(transport);
  transport.start = (sink: TransportSink) =>
    start({
      ...sink,
      receive: sink.receive.bind(sink),
      receiveText: sink.receiveText.bind(sink),
      ended: sink.ended?.bind(sink),
      closed: (reason) => {
        sink.closed(reason);
        resolve(reason);
      },
    });
  return { transport, closed };
}

/** Resolves with the signal's name when SIGINT or SIGTERM arrives (the default exit is replaced). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.removeAllListeners('SIGINT');
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Parses a `--port` value. */
export function parsePort(text: string): number | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
