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
    defineProperty('an integer id is echoed exactly as written, or refused with -32600 and id null', () =>
      fc.asyncProperty(
        fc.boolean(),
        fc.oneof(fc.stringMatching(/^-?[1-9][0-9]{0,14}$/), fc.stringMatching(/^-?[1-9][0-9]{15,29}$/)),
        fc.constantFrom('ping', 'tools/list', 'tools/call'),
        async (batches, digits, method) => {
          const target = await peerTarget(batches);
          target.send(`{"jsonrpc":"2.0","id":${digits},"method":"${method}","params":{}}`);
          await new Promise((resolve) => setTimeout(resolve, 0));
          const answers = target.out.map((m) => JSON.stringify(m));
          if (answers.length !== 1) throw new Error(`${answers.length} answers to id ${digits}`);
          const echoed = answers[0].includes(`"id":${digits},`) || answers[0].includes(`"id":${digits}}`);
          const refused =
            /"id":null/.test(answers[0]) && answers[0].includes(`"code":${ErrorCode.InvalidRequest}`);
          if (!echoed && !refused) throw new Error(`id ${digits} came back altered: ${answers[0]}`);
          if (refused && Number.isSafeInteger(Number(digits))) throw new Error(`safe id ${digits} refused`);
        },
      ),
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
