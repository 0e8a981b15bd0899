/** Fuzz properties of the inbound path of JsonRpcPeer: raw text in, JSON-RPC answers out. */
import fc from 'fast-check';
import { ErrorCode, McpError } from '../../src/protocol/index.ts';
import { JsonRpcPeer } from '../../src/rpc/index.ts';
import { checkInbound, type InboundTarget, inboundTextArb, rawTransport } from './inbound.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** A peer whose handler answers, fails and throws in every way a handler can. */
async function peerTarget(batches: boolean): Promise<InboundTarget> {
  const { transport, out, sink } = rawTransport();
  const peer = new JsonRpcPeer({
    acceptBatches: () => batches,
    onError: () => {},
    onNotification: () => {},
    onRequest: async (method, params) => {
      switch (method) {
        case 'ping':
        case 'initialize':
          return {};
        case 'tools/list':
          await Promise.resolve();
          return { tools: [], params: params ?? null };
        case 'tools/call':
          throw new Error('handler failed');
        case 'prompts/get':
          throw new McpError(ErrorCode.InvalidParams, 'bad params');
        case 'resources/read':
          // A handler throwing something that is not an Error.
          throw { weird: true };
        default:
          throw new McpError(ErrorCode.MethodNotFound, `no method ${method}`);
      }
    },
  });
  await peer.connect(transport);
  return { send: (text) => sink().receiveText(text), out, batches, maxDepth: 64 };
}

/** The JsonRpcPeer inbound properties. */
export const peerFuzz: FuzzGroup = {
  parser: 'JsonRpcPeer.receiveText',
  properties: [
    defineProperty('every input gets exactly the answers JSON-RPC requires, and ping still works', () =>
      fc.asyncProperty(fc.boolean(), inboundTextArb, async (batches, text) => {
        await checkInbound(await peerTarget(batches), text);
      }),
    ),
    defineProperty(
      'a long sequence of inputs on one peer leaves it serving',
      () =>
        fc.asyncProperty(fc.array(inboundTextArb, { maxLength: 12 }), async (texts) => {
          const target = await peerTarget(true);
          for (const text of texts) await checkInbound(target, text);
        }),
      0.2,
    ),
  ],
};
