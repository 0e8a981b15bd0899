/**
 * `requestState` of Multi Round-Trip Requests (2026-07-28) over real HTTP: a state the client
 * altered, forged, truncated, moved to another request, or minted by a server with another secret
 * is refused with -32602, and the handler never runs with the forged answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import { RequestStateCodec } from '../src/server/request-state.ts';
import { type Served, serve } from './http-server-fixtures.ts';
import { envelope, modernBody, modernPost } from './http-server-modern-fixtures.ts';

let server: McpServer;
let s: Served;
let ran: string[];

function build(secret: string): McpServer {
  const m = new McpServer({ name: 'mrtr', version: '1.0.0', requestStateSecret: secret, onError: () => {} });
  m.tool(
    'transfer',
    { input: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } },
    async (args, ctx) => {
      const first = await ctx.elicit(
        { message: 'Confirm?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        { key: 'confirm' },
      );
      const second = await ctx.elicit(
        { message: 'PIN?', requestedSchema: { type: 'object', properties: { pin: { type: 'string' } } } },
        { key: 'pin' },
      );
      const line = `${(args as { amount: number }).amount}:${JSON.stringify(first.content)}:${JSON.stringify(second.content)}`;
      ran.push(line);
      return line;
    },
  );
  return m;
}

beforeEach(async () => {
  ran = [];
  server = build('node-secret-1');
  s = await serve(server);
});
afterEach(async () => {
  await s.close();
});

const CAPS = { elicitation: { form: {} } };

function call(amount: number, extra: Record<string, unknown> = {}, id = 1) {
  return modernBody(
    'tools/call',
    { name: 'transfer', arguments: { amount }, _meta: envelope(CAPS), ...extra },
    id,
  );
}

async function answer(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await modernPost(url, body);
  const text = await res.text();
  const data = text.startsWith('{')
    ? text
    : (
        text
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .pop() ?? ''
      ).slice(6);
  return JSON.parse(data) as Record<string, unknown>;
}

/** Round one and two of the transfer: returns the state after the user confirmed. */
async function confirmed(): Promise<string> {
  const r1 = (await answer(s.url, call(10))).result as Record<string, unknown>;
  expect(r1.resultType).toBe('input_required');
  const r2 = (
    await answer(
      s.url,
      call(
        10,
        {
          requestState: r1.requestState,
          inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
        },
        2,
      ),
    )
  ).result as Record<string, unknown>;
  expect(r2.resultType).toBe('input_required');
  expect(Object.keys(r2.inputRequests as object)).toEqual(['pin']);
  return r2.requestState as string;
}

const PIN = { pin: { action: 'accept', content: { pin: '1234' } } };

function expectRefused(reply: Record<string, unknown>, why: RegExp): void {
  const error = reply.error as { code: number; message: string } | undefined;
  expect(error?.code).toBe(-32602);
  expect(error?.message).toMatch(why);
  expect(ran).toEqual([]);
}

describe('requestState integrity over HTTP', () => {
  it('an untouched state completes the request (the baseline)', async () => {
    const state = await confirmed();
    const done = (await answer(s.url, call(10, { requestState: state, inputResponses: PIN }, 3)))
      .result as Record<string, unknown>;
    expect(done.resultType).toBe('complete');
    expect(ran).toEqual(['10:{"ok":true}:{"pin":"1234"}']);
  });

  it('refuses a state whose payload was altered (answers forged, signature kept)', async () => {
    const state = await confirmed();
    const [body, sig] = state.split('.') as [string, string];
    const payload = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    payload.answers = { confirm: { action: 'accept', content: { ok: 'forged' } } };
    const forged = `${btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${sig}`;
    expectRefused(
      await answer(s.url, call(10, { requestState: forged, inputResponses: PIN }, 3)),
      /failed verification/,
    );
  });

  it('refuses a state with a damaged signature, a truncated one, or one that is not a string', async () => {
    const state = await confirmed();
    const flipped = state.slice(0, -2) + (state.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [flipped, state.slice(0, state.indexOf('.')), `${state}x`, 'garbage', 42, { state }]) {
      expectRefused(
        await answer(s.url, call(10, { requestState: bad, inputResponses: PIN }, 3)),
        /requestState rejected/,
      );
    }
  });

  it('refuses a state moved to a request with other arguments', async () => {
    const state = await confirmed();
    expectRefused(
      await answer(s.url, call(1_000_000, { requestState: state, inputResponses: PIN }, 3)),
      /different request/,
    );
  });

  it('refuses a state minted by a server with another secret', async () => {
    const other = await serve(build('node-secret-2'));
    try {
      const r1 = (await answer(other.url, call(10))).result as Record<string, unknown>;
      const theirs = r1.requestState as string;
      expectRefused(
        await answer(
          s.url,
          call(
            10,
            {
              requestState: theirs,
              inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
            },
            3,
          ),
        ),
        /failed verification/,
      );
    } finally {
      await other.close();
    }
  });
});

describe('requestState binding (RequestStateCodec)', () => {
  it('refuses an expired state, and one issued to another principal', async () => {
    const codec = new RequestStateCodec('k');
    const base = { answers: {}, method: 'tools/call', digest: 'd', principal: 'client-a:alice' };
    const expired = await codec.seal({ ...base, expires: Date.now() - 1 });
    await expect(codec.open(expired, 'tools/call', 'd', 'client-a:alice')).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('expired'),
    });
    const live = await codec.seal({ ...base, expires: Date.now() + 60_000 });
    await expect(codec.open(live, 'tools/call', 'd', 'client-b:mallory')).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('different principal'),
    });
    await expect(codec.open(live, 'tools/call', 'd', 'client-a:alice')).resolves.toMatchObject({
      answers: {},
    });
  });
});
