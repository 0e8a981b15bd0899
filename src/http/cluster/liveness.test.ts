import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonRpcRequest, RequestId } from '../../protocol/index.ts';
import { postStreamId, writerOf } from './liveness.ts';

const requests = (ids: RequestId[]): JsonRpcRequest[] =>
  ids.map((id) => ({ jsonrpc: '2.0', id, method: 'x' }));

describe('POST stream ids in cluster mode', () => {
  it('name their node and, when short, the request ids they answer', () => {
    const id = postStreamId('0123456789abcdef.', 'node7', 3, requests([42]));
    expect(id).toBe('0123456789abcdef.node7.3~%5B42%5D');
    expect(writerOf(id)).toEqual({ node: 'node7', requests: [42] });
    expect(writerOf('0123456789abcdef.get')).toBeUndefined();
    const long = postStreamId('0123456789abcdef.', 'n', 0, requests(['x'.repeat(100)]));
    expect(writerOf(long)).toEqual({ node: 'n', requests: [] });
  });

  it('give back any ids they carry, whatever their characters, and survive an event id suffix parse', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.string({ maxLength: 12 })),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.stringMatching(/^[0-9a-z]{1,32}$/),
        fc.nat(),
        (ids, node, n) => {
          const streamId = postStreamId('0123456789abcdef.', node, n, requests(ids));
          const eventId = `${streamId}_1700000000000-0`;
          const back = eventId.slice(0, eventId.lastIndexOf('_'));
          expect(back).toBe(streamId);
          const parsed = writerOf(streamId);
          expect(parsed?.node).toBe(node);
          if (streamId.includes('~')) expect(parsed?.requests).toEqual(ids);
          else expect(parsed?.requests).toEqual([]);
          expect(/[\r\n\0]/.test(streamId)).toBe(false);
        },
      ),
    );
  });
});
