/**
 * The `auth` option of createHttpHandler over real HTTP, with the development authorization server
 * and its ES256 (jose) access tokens: tools see the principal as `ctx.auth` and never the client's
 * credentials; every request's scopes are checked; a session (Streamable HTTP or HTTP+SSE, alone
 * or in a cluster sharing one session store) answers only the principal that created it; and a
 * 2026-07-28 `requestState` issued to one user is refused for another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessRedirect } from '../src/auth/index.ts';
import { createResourceServerAuth, type ResourceServerAuth } from '../src/auth/resource-server.ts';
import { createJwtVerifier } from '../src/auth/verifier.ts';
import { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from '../src/http/index.ts';
import type { RunningAuthServer } from '../src/node/auth-server.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/http.ts';
import { McpServer } from '../src/server/index.ts';
import { MemoryBus, MemoryEventStore, MemorySessionStore } from '../src/store/index.ts';
import { cleanup, closeAll, connectWithOAuth, startDevAs } from './auth-fixtures.ts';
import {
  callTool,
  initializeBody,
  messages,
  post,
  readEvents,
  type SseEvent,
} from './http-server-fixtures.ts';
import { envelope, modernBody, modernPost } from './http-server-modern-fixtures.ts';

/** What the `whoami` tool saw. */
interface Seen {
  subject?: string;
  clientId?: string;
  scopes?: string[];
  hasToken: boolean;
  authorization: string | null;
  cookie: string | null;
  dpop: string | null;
}

function buildServer(): McpServer {
  const server = new McpServer({
    name: 'guarded',
    version: '1.0.0',
    requestStateSecret: 'shared-secret',
    onError: () => {},
  });
  server.tool('whoami', { description: 'Reports the principal and the headers it saw.' }, (_args, ctx) => {
    const headers = ctx.info?.request?.headers;
    const seen: Seen = {
      subject: ctx.auth?.subject,
      clientId: ctx.auth?.clientId,
      scopes: ctx.auth?.scopes,
      hasToken: typeof ctx.auth?.token === 'string' && ctx.auth.token.length > 0,
      authorization: headers?.get('authorization') ?? null,
      cookie: headers?.get('cookie') ?? null,
      dpop: headers?.get('dpop') ?? null,
    };
    return JSON.stringify(seen);
  });
  server.tool('write', { description: 'Needs mcp:write.' }, () => 'written');
  server.tool('confirm', { description: 'Asks the user, then names who confirmed.' }, async (_args, ctx) => {
    const answer = await ctx.elicit(
      { message: 'Sure?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      { key: 'sure' },
    );
    return `${ctx.auth?.subject}:${JSON.stringify(answer.content)}`;
  });
  return server;
}

/** One protected handler listening on a loopback port. */
interface Node {
  url: string;
  base: string;
  handler: HttpHandler;
  auth: ResourceServerAuth;
  http: HttpServerHandle;
}

async function startNode(as: RunningAuthServer, options: HttpHandlerOptions = {}): Promise<Node> {
  let handler: HttpHandler | undefined;
  const http = await serveHttp(
    (r) => (handler ? handler(r) : Promise.resolve(new Response(null, { status: 503 }))),
    { port: 0 },
  );
  const url = `http://localhost:${http.port}/mcp`;
  const auth = createResourceServerAuth({
    resource: url,
    authorizationServers: [as.issuer],
    verifier: createJwtVerifier({ issuer: as.issuer, jwks: `${as.issuer}/jwks` }),
    scopesSupported: ['mcp:read'],
    requiredScopes: (method, params) =>
      method === 'tools/call' && (params as { name?: string }).name === 'write'
        ? ['mcp:read', 'mcp:write']
        : ['mcp:read'],
  });
  handler = createHttpHandler(buildServer(), { ...options, auth });
  const h = handler;
  cleanup.push(async () => {
    await h.close();
    await http.close();
  });
  return { url, base: `http://localhost:${http.port}`, handler, auth, http };
}

let as: RunningAuthServer;
let node: Node;

/** A token of the dev AS for `subject`, naming `resource` as audience. */
function tokenFor(subject: string, resource = node.url, scope = 'mcp:read mcp:write'): Promise<string> {
  return as.server.mintAccessToken({ clientId: `app-of-${subject}`, subject, scope, resource });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The JSON-RPC message answering a POST (SSE or JSON body). */
async function answerOf(res: Response): Promise<Record<string, unknown>> {
  if ((res.headers.get('content-type') ?? '').includes('application/json')) {
    return (await res.json()) as Record<string, unknown>;
  }
  const all = messages((await readEvents(res)).events);
  return all[all.length - 1] as Record<string, unknown>;
}

/** The text of a tools/call result. */
function textOf(message: Record<string, unknown>): string {
  const result = message.result as { content: { text: string }[] } | undefined;
  if (!result) throw new Error(`No result: ${JSON.stringify(message)}`);
  return (result.content[0] as { text: string }).text;
}

/** Opens a 2025-11-25 session with `token`; returns the headers of its later requests. */
async function openSession(url: string, token: string): Promise<Record<string, string>> {
  const res = await post(url, initializeBody(), bearer(token));
  expect(res.status).toBe(200);
  const id = res.headers.get('mcp-session-id') as string;
  await readEvents(res);
  const headers = { ...bearer(token), 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  expect((await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(
    202,
  );
  return headers;
}

beforeAll(async () => {
  as = await startDevAs();
  node = await startNode(as);
});
afterAll(closeAll);

describe('authentication in the handler', () => {
  it('answers 401 with a challenge pointing at the metadata, which it serves before the Origin check', async () => {
    const res = await post(node.url, initializeBody());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${node.auth.metadataUrl}"`);
    const meta = await fetch(node.auth.metadataUrl, { headers: { origin: 'https://elsewhere.example' } });
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as { resource: string }).resource).toBe(node.url);
    const foreign = await post(node.url, initializeBody(), {
      ...bearer(await tokenFor('alice')),
      origin: 'https://elsewhere.example',
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses a token for another resource, and the SSE and message paths without a token', async () => {
    const other = await tokenFor('alice', 'http://localhost:1/mcp');
    const res = await post(node.url, initializeBody(), bearer(other));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await fetch(`${node.base}/sse`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    expect(
      (await post(`${node.base}/messages?sessionId=x`, { jsonrpc: '2.0', method: 'ping', id: 1 })).status,
    ).toBe(401);
  });

  it('gives the tool ctx.auth, never the Authorization, DPoP or Cookie headers', async () => {
    const token = await tokenFor('alice');
    const headers = await openSession(node.url, token);
    const res = await post(node.url, callTool(1, 'whoami'), {
      ...headers,
      cookie: 'sid=secret-cookie',
      dpop: 'not-a-proof',
    });
    expect(res.status).toBe(200);
    const seen = JSON.parse(textOf(await answerOf(res))) as Seen;
    expect(seen).toEqual({
      subject: 'alice',
      clientId: 'app-of-alice',
      scopes: ['mcp:read', 'mcp:write'],
      hasToken: true,
      authorization: null,
      cookie: null,
      dpop: null,
    });
  });

  it('gives ctx.auth to a client that went through the OAuth flow with the dev AS', async () => {
    const { client } = await connectWithOAuth(node.url, {
      redirectUri: 'http://127.0.0.1:33418/callback',
      redirect: headlessRedirect(),
      allowPrivateNetwork: true,
      clientMetadata: { client_name: 'handler-test' },
    });
    const result = await client.callTool('whoami', {});
    const seen = JSON.parse((result.content[0] as { text: string }).text) as Seen;
    expect(seen.subject).toBe('dev-user');
    expect(seen.authorization).toBeNull();
    expect(seen.scopes).toContain('mcp:read');
    expect(seen.scopes).not.toContain('mcp:write');
    // A 403 insufficient_scope from the handler makes the client step up, then retry.
    expect((await client.callTool('write', {})).content[0]).toMatchObject({ text: 'written' });
    const after = await client.callTool('whoami', {});
    const stepped = JSON.parse((after.content[0] as { text: string }).text) as Seen;
    expect(stepped.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
  });

  it('checks the scopes of every request of a POST: 403 insufficient_scope naming what is needed', async () => {
    const readOnly = await tokenFor('carol', node.url, 'mcp:read');
    const headers = await openSession(node.url, readOnly);
    const denied = await post(node.url, callTool(1, 'write'), headers);
    expect(denied.status).toBe(403);
    const challenge = denied.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:read mcp:write"');
    const allowed = await post(node.url, callTool(2, 'whoami'), headers);
    expect(JSON.parse(textOf(await answerOf(allowed))).subject).toBe('carol');
  });
});

describe('sessions bound to their principal', () => {
  it('refuses POST, GET and DELETE with a session id of another principal (403); the owner goes on', async () => {
    const alice = await openSession(node.url, await tokenFor('alice'));
    const stolen = { ...alice, ...bearer(await tokenFor('bob')) };
    const posted = await post(node.url, callTool(1, 'whoami'), stolen);
    expect(posted.status).toBe(403);
    expect(((await posted.json()) as { error: { message: string } }).error.message).toMatch(
      /another principal/,
    );
    const got = await fetch(node.url, { headers: { ...stolen, accept: 'text/event-stream' } });
    expect(got.status).toBe(403);
    const deleted = await fetch(node.url, { method: 'DELETE', headers: stolen });
    expect(deleted.status).toBe(403);
    const own = await post(node.url, callTool(2, 'whoami'), alice);
    expect(own.status).toBe(200);
    expect(JSON.parse(textOf(await answerOf(own))).subject).toBe('alice');
    expect((await fetch(node.url, { method: 'DELETE', headers: alice })).status).toBe(200);
  });

  it('treats the same user through another client as another principal', async () => {
    const alice = await openSession(node.url, await tokenFor('alice'));
    const otherApp = await as.server.mintAccessToken({
      clientId: 'another-app',
      subject: 'alice',
      scope: 'mcp:read',
      resource: node.url,
    });
    expect((await post(node.url, callTool(1, 'whoami'), { ...alice, ...bearer(otherApp) })).status).toBe(403);
  });

  it('binds HTTP+SSE sessions: messages to ?sessionId= of another principal get 403', async () => {
    const aliceToken = await tokenFor('alice');
    const controller = new AbortController();
    cleanup.push(async () => controller.abort());
    const stream = await fetch(`${node.base}/sse`, {
      headers: { ...bearer(aliceToken), accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const events = readSse(stream);
    const endpoint = (await events.next()).data;
    const target = new URL(endpoint, node.base).href;
    const bob = bearer(await tokenFor('bob'));
    expect((await post(target, initializeBody('2024-11-05', 1), bob)).status).toBe(403);
    expect((await post(target, initializeBody('2024-11-05', 1), bearer(aliceToken))).status).toBe(202);
    expect(JSON.parse((await events.next()).data).id).toBe(1);
    await post(target, { jsonrpc: '2.0', method: 'notifications/initialized' }, bearer(aliceToken));
    const readOnly = bearer(await tokenFor('alice', node.url, 'mcp:read'));
    expect((await post(target, callTool(2, 'write'), readOnly)).status).toBe(403);
    expect((await post(target, callTool(3, 'whoami'), bearer(aliceToken))).status).toBe(202);
    const answer = JSON.parse((await events.next()).data) as Record<string, unknown>;
    expect(answer.id).toBe(3);
    expect(JSON.parse(textOf(answer))).toMatchObject({ subject: 'alice', authorization: null });
    controller.abort();
  });
});

describe('sessions per principal (maxSessionsPerClient)', () => {
  it('counts sessions by principal, not address: a principal with every session busy gets 429, another gets in', async () => {
    const capped = await startNode(as, { maxSessionsPerClient: 1 });
    const alice = await tokenFor('alice', capped.url);
    const held = await openSession(capped.url, alice);
    const hangUp = new AbortController();
    const stream = await fetch(capped.url, {
      headers: { ...held, accept: 'text/event-stream' },
      signal: hangUp.signal,
    });
    expect(stream.status).toBe(200);
    try {
      const refused = await post(capped.url, initializeBody(), bearer(alice));
      expect(refused.status).toBe(429);
      expect(await refused.text()).toContain('maxSessionsPerClient');
      const bob = await post(capped.url, initializeBody(), bearer(await tokenFor('bob', capped.url)));
      expect(bob.status).toBe(200);
      await readEvents(bob);
    } finally {
      hangUp.abort();
    }
  });
});

describe('requestState bound to the principal (2026-07-28)', () => {
  const CAPS = { elicitation: { form: {} } };
  const call = (extra: Record<string, unknown> = {}, id = 1) =>
    modernBody('tools/call', { name: 'confirm', arguments: {}, _meta: envelope(CAPS), ...extra }, id);
  const SURE = { sure: { action: 'accept', content: { ok: true } } };

  it('completes for the user it was issued to and is refused for another (-32602)', async () => {
    const alice = bearer(await tokenFor('alice'));
    const first = await answerOf(await modernPost(node.url, call(), alice));
    const result = first.result as { resultType: string; requestState: string };
    expect(result.resultType).toBe('input_required');
    const retry = call({ requestState: result.requestState, inputResponses: SURE }, 2);
    const stolen = await answerOf(await modernPost(node.url, retry, bearer(await tokenFor('bob'))));
    expect((stolen.error as { code: number }).code).toBe(-32602);
    expect((stolen.error as { message: string }).message).toMatch(/principal/);
    const own = await answerOf(await modernPost(node.url, retry, alice));
    expect(textOf(own)).toBe('alice:{"ok":true}');
  });

  it('asks 2026-07-28 requests for their scopes too', async () => {
    const readOnly = bearer(await tokenFor('alice', node.url, 'mcp:read'));
    const body = modernBody('tools/call', { name: 'write', arguments: {} });
    const res = await modernPost(node.url, body, readOnly);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
  });
});

describe('cluster mode: the binding lives in the shared session record', () => {
  it('refuses another principal on another node, serves the owner there with ctx.auth', async () => {
    const shared = {
      sessionStore: new MemorySessionStore(),
      eventStore: new MemoryEventStore(),
      bus: new MemoryBus(),
    };
    const a = await startNode(as, { ...shared, nodeId: 'a' });
    // Both nodes are one resource behind a load balancer: tokens name node a's URL.
    const bAuth = createResourceServerAuth({
      resource: a.url,
      authorizationServers: [as.issuer],
      verifier: createJwtVerifier({ issuer: as.issuer, jwks: `${as.issuer}/jwks` }),
    });
    const bHandler = createHttpHandler(buildServer(), { ...shared, nodeId: 'b', auth: bAuth });
    const bHttp = await serveHttp(bHandler, { port: 0 });
    cleanup.push(async () => {
      await bHandler.close();
      await bHttp.close();
    });
    const bUrl = `http://localhost:${bHttp.port}/mcp`;
    const aliceToken = await tokenFor('alice', a.url);
    const alice = await openSession(a.url, aliceToken);
    const record = await shared.sessionStore.get(alice['mcp-session-id'] as string);
    expect(record?.subject).toContain('alice');
    const bob = { ...alice, ...bearer(await tokenFor('bob', a.url)) };
    expect((await post(bUrl, callTool(1, 'whoami'), bob)).status).toBe(403);
    expect((await fetch(bUrl, { method: 'DELETE', headers: bob })).status).toBe(403);
    const own = await post(bUrl, callTool(2, 'whoami'), alice);
    expect(own.status).toBe(200);
    expect(JSON.parse(textOf(await answerOf(own)))).toMatchObject({ subject: 'alice', authorization: null });
  });

  it('refuses another principal on an HTTP+SSE session held by another node, and forwards the owner with ctx.auth', async () => {
    const shared = {
      sessionStore: new MemorySessionStore(),
      eventStore: new MemoryEventStore(),
      bus: new MemoryBus(),
    };
    const a = await startNode(as, { ...shared, nodeId: 'a' });
    const bAuth = createResourceServerAuth({
      resource: a.url,
      authorizationServers: [as.issuer],
      verifier: createJwtVerifier({ issuer: as.issuer, jwks: `${as.issuer}/jwks` }),
    });
    const bHandler = createHttpHandler(buildServer(), { ...shared, nodeId: 'b', auth: bAuth });
    const bHttp = await serveHttp(bHandler, { port: 0 });
    cleanup.push(async () => {
      await bHandler.close();
      await bHttp.close();
    });
    const aliceToken = await tokenFor('alice', a.url);
    const controller = new AbortController();
    cleanup.push(async () => controller.abort());
    const stream = await fetch(`${a.base}/sse`, {
      headers: { ...bearer(aliceToken), accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const events = readSse(stream);
    const endpoint = (await events.next()).data;
    const onB = `http://localhost:${bHttp.port}${endpoint}`;
    const bob = bearer(await tokenFor('bob', a.url));
    expect((await post(onB, initializeBody('2024-11-05', 1), bob)).status).toBe(403);
    expect((await post(onB, initializeBody('2024-11-05', 1), bearer(aliceToken))).status).toBe(202);
    expect(JSON.parse((await events.next()).data).id).toBe(1);
    await post(onB, { jsonrpc: '2.0', method: 'notifications/initialized' }, bearer(aliceToken));
    expect((await post(onB, callTool(2, 'whoami'), bearer(aliceToken))).status).toBe(202);
    const answer = JSON.parse((await events.next()).data) as Record<string, unknown>;
    expect(JSON.parse(textOf(answer))).toMatchObject({
      subject: 'alice',
      hasToken: true,
      authorization: null,
    });
    controller.abort();
  });
});

/** Reads SSE events one at a time from a streaming response. */
function readSse(response: Response): { next(): Promise<SseEvent> } {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  return {
    async next() {
      for (;;) {
        const ready = queue.shift();
        if (ready) return ready;
        const { done, value } = await reader.read();
        if (done) throw new Error('The SSE stream ended.');
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart());
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          if (data.length > 0) queue.push({ data: data.join('\n'), ...(event ? { event } : {}) });
          end = buffer.indexOf('\n\n');
        }
      }
    },
  };
}
