/**
 * A transport wrapper that shows every JSON-RPC message both ways to an observer, before the
 * message goes out and as it comes in, without changing either.
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';
import type { SendOptions, Transport, TransportSink } from '../../rpc/index.ts';

/** Which way a message went: 'out' from the inspector to the server, 'in' from the server. */
export type Direction = 'out' | 'in';

/** Sees each message (or batch), and the raw text of a frame that was not JSON. */
export type MessageTap = (direction: Direction, message: unknown) => void;

/** Wraps `inner` so that `tap` sees every message sent and received. */
export function tapTransport(inner: Transport, tap: MessageTap): Transport {
  const safeTap = (direction: Direction, message: unknown) => {
    try {
      tap(direction, message);
    } catch {
      // an observer never breaks the connection
    }
  };
  return {
    get sessionId() {
      return inner.sessionId;
    },
    start(sink: TransportSink) {
      return inner.start({
        receive(value, info) {
          safeTap('in', value);
          sink.receive(value, info);
        },
        receiveText(text, info) {
          let value: unknown = text;
          try {
            value = JSON.parse(text);
          } catch {
            // shown as the raw text
          }
          safeTap('in', value);
          sink.receiveText(text, info);
        },
        closed: (reason) => sink.closed(reason),
        ...(sink.ended ? { ended: () => sink.ended?.() } : {}),
      });
    },
    send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions) {
      safeTap('out', message);
      return inner.send(message, options);
    },
    close: () => inner.close(),
  };
}
