import { describe, expect, it } from 'vitest';
import { McpError } from '../protocol/index.ts';
import { RequestStateCodec } from './request-state.ts';

describe('basic/patterns/mrtr: requestState integrity', () => {
  it('accepts only the exact signature it issued, not other spellings of the same bits', async () => {
    const codec = new RequestStateCodec('secret');
    const payload = {
      answers: {},
      method: 'tools/call',
      digest: 'd',
      principal: '',
      expires: Date.now() + 60_000,
    };
    const state = await codec.seal(payload);
    await expect(codec.open(state, 'tools/call', 'd', '')).resolves.toEqual(payload);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = state.at(-1) as string;
    let rejected = 0;
    for (const c of alphabet) {
      if (c === last) continue;
      const forged = state.slice(0, -1) + c;
      const error = await codec.open(forged, 'tools/call', 'd', '').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      rejected++;
    }
    expect(rejected).toBe(63);
  });
});
