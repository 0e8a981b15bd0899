import { afterEach, describe, expect, it } from 'vitest';
import { createTasks, enableTasks, type Tasks } from '../src/extensions/index.ts';
import { ErrorCode, McpError } from '../src/protocol/index.ts';
import type { AuthInfo, Transport, TransportSink } from '../src/rpc/index.ts';
import { McpServer } from '../src/server/index.ts';

const V = '2026-07-28';
const TASKS = 'io.modelcontextprotocol/tasks';
const withTasks = { elicitation: {}, extensions: { [TASKS]: {} } };
const meta = (caps: Record<string, unknown> = withTasks) => ({
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': caps,
});

type Msg = Record<string, unknown>;

/** A deferred the test settles by hand, so nothing depends on timing. */
function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    open = r;
  });
  return { promise, open };
}

/** A raw client whose messages may carry an authenticated principal. */
async function connect(server: McpServer, auth?: AuthInfo) {
  let sink: TransportSink | undefined;
  const waiting = new Map<unknown, (m: Msg) => void>();
  const transport: Transport = {
    start(s) {
      sink = s;
    },
    send(message) {
      for (const m of (Array.isArray(message) ? message : [message]) as unknown as Msg[])
        waiting.get(m.id)?.(m);
    },
    async close() {
      sink?.closed();
    },
  };
  await server.connect(transport);
  let n = 0;
  return {
    async call(method: string, params: Msg = {}, caps?: Record<string, unknown>): Promise<Msg> {
      const id = `c${++n}`;
      const answer = new Promise<Msg>((r) => waiting.set(id, r));
      sink?.receive({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta(caps) } }, { auth });
      return answer;
    },
  };
}
type Client = Awaited<ReturnType<typeof connect>>;

const result = (m: Msg) => m.result as Msg;
const error = (m: Msg) => m.error as { code: number; message: string; data?: Msg };

async function untilStatus(client: Client, taskId: string, statuses: string[]): Promise<Msg> {
  for (;;) {
    const task = result(await client.call('tasks/get', { taskId }));
    if (statuses.includes(task.status as string)) return task;
    await new Promise((r) => setTimeout(r, 5));
  }
}

let tasks: Tasks | undefined;
afterEach(async () => {
  await tasks?.close();
  tasks = undefined;
});

function setup() {
  const t = createTasks({ ttlMs: 60_000, pollIntervalMs: 250 });
  tasks = t;
  const server = new McpServer({
    name: 't',
    version: '1',
    requestStateSecret: 'k',
    middleware: [t.middleware],
  });
  enableTasks(server, t);
  const release = gate();
  const started = gate();
  const seen: { signal?: AbortSignal } = {};
  server.tool('greet', { description: 'sync' }, (args) => `Hello, ${String(args.name)}!`);
  server.tool('job', { description: 'waits for the test' }, async (_a, ctx) => {
    seen.signal = ctx.signal;
    started.open();
    await release.promise;
    return 'done';
  });
  server.tool('broken', { description: 'tool error' }, () => ({
    content: [{ type: 'text', text: 'no' }],
    isError: true,
  }));
  server.tool('crash', { description: 'protocol error' }, () => {
    throw new McpError(ErrorCode.InternalError, 'crashed');
  });
  server.tool('ask', { description: 'two questions at once' }, async (_a, ctx) => {
    const schema = { type: 'object' as const, properties: { v: { type: 'string' as const } } };
    const [a, b] = await Promise.all([
      ctx.elicit({ message: 'a?', requestedSchema: schema }, { key: 'a' }),
      ctx.elicit({ message: 'b?', requestedSchema: schema }, { key: 'b' }),
    ]);
    return `${String(a.content?.v)}+${String(b.content?.v)}`;
  });
  server.tool('escalating', { description: 'asks, then becomes a task' }, async (_a, ctx) => {
    const r = await ctx.elicit(
      { message: 'name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
      { key: 'user_name' },
    );
    const id = await t.escalate(ctx);
    await release.promise;
    return `Hi ${String(r.content?.name)} (${String(id)})`;
  });
  t.support('job', 'optional');
  t.support('broken', 'required');
  t.support('crash', 'required');
  t.support('ask', 'optional');
  t.support('escalating', { taskSupport: 'required', after: Number.POSITIVE_INFINITY });
  return { server, release, started, seen };
}

describe('Tasks extension: negotiation', () => {
  it('declares io.modelcontextprotocol/tasks under capabilities.extensions', async () => {
    const { server } = setup();
    const c = await connect(server);
    const caps = result(await c.call('server/discover')).capabilities as Msg;
    expect(caps.extensions).toEqual({ [TASKS]: {} });
    expect(caps.tasks).toBeUndefined();
  });

  it('answers tasks/* with -32021 naming the extension when the request did not declare it', async () => {
    const { server } = setup();
    const c = await connect(server);
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const e = error(await c.call(method, { taskId: 'x', inputResponses: {} }, {}));
      expect(e.code).toBe(-32021);
      expect(e.data).toEqual({ requiredCapabilities: { extensions: { [TASKS]: {} } } });
    }
  });

  it('runs an optional task tool synchronously for a client without the extension', async () => {
    const { server, release } = setup();
    const c = await connect(server);
    release.open();
    const r = result(await c.call('tools/call', { name: 'job', arguments: {} }, {}));
    expect(r.resultType).toBe('complete');
    expect(r.taskId).toBeUndefined();
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('refuses a required task tool with -32021 when the client did not declare the extension', async () => {
    const { server } = setup();
    const c = await connect(server);
    const e = error(await c.call('tools/call', { name: 'broken', arguments: {} }, {}));
    expect(e.code).toBe(-32021);
    expect(e.data).toEqual({ requiredCapabilities: { extensions: { [TASKS]: {} } } });
  });

  it('never makes a task of a tool that is not task-capable, even with a legacy task param', async () => {
    const { server } = setup();
    const c = await connect(server);
    const r = result(
      await c.call('tools/call', { name: 'greet', arguments: { name: 'x' }, task: { ttl: 1000 } }),
    );
    expect(r).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Hello, x!' }] });
    expect(r.taskId).toBeUndefined();
  });
});

describe('Tasks extension: lifecycle', () => {
  it('answers with a flat CreateTaskResult, then inlines the result in tasks/get', async () => {
    const { server, release } = setup();
    const c = await connect(server);
    const created = result(await c.call('tools/call', { name: 'job', arguments: {} }));
    expect(created).toEqual({
      resultType: 'task',
      taskId: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: 'working',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      lastUpdatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ttlMs: 60_000,
      pollIntervalMs: 250,
    });
    const taskId = created.taskId as string;
    const working = result(await c.call('tasks/get', { taskId }));
    expect(working).toMatchObject({ resultType: 'complete', taskId, status: 'working' });
    expect(working).not.toHaveProperty('result');
    release.open();
    const done = await untilStatus(c, taskId, ['completed']);
    expect(done.result).toMatchObject({ content: [{ type: 'text', text: 'done' }] });
    expect(done).not.toHaveProperty('requestState');
  });

  it('reports a tool error as completed with isError, and a JSON-RPC error as failed', async () => {
    const { server } = setup();
    const c = await connect(server);
    const broken = result(await c.call('tools/call', { name: 'broken', arguments: {} }));
    expect(broken.resultType).toBe('task');
    const b = await untilStatus(c, broken.taskId as string, ['completed', 'failed']);
    expect(b).toMatchObject({ status: 'completed', result: { isError: true } });
    const crash = result(await c.call('tools/call', { name: 'crash', arguments: {} }));
    const f = await untilStatus(c, crash.taskId as string, ['completed', 'failed']);
    expect(f).toMatchObject({
      status: 'failed',
      error: { code: ErrorCode.InternalError, message: 'crashed' },
    });
    expect(f).not.toHaveProperty('result');
  });

  it('cancels: an empty ack, the tool sees its signal abort, the task reads cancelled', async () => {
    const { server, started, seen } = setup();
    const c = await connect(server);
    const { taskId } = result(await c.call('tools/call', { name: 'job', arguments: {} }));
    await started.promise;
    expect(seen.signal?.aborted).toBe(false);
    const ack = result(await c.call('tasks/cancel', { taskId }));
    expect(Object.keys(ack).filter((k) => k !== '_meta')).toEqual(['resultType']);
    expect(ack.resultType).toBe('complete');
    expect(result(await c.call('tasks/get', { taskId })).status).toBe('cancelled');
    expect(seen.signal?.aborted).toBe(true);
    const again = result(await c.call('tasks/cancel', { taskId }));
    expect(again.resultType).toBe('complete');
  });

  it('answers -32602 for an unknown task id', async () => {
    const { server } = setup();
    const c = await connect(server);
    expect(error(await c.call('tasks/get', { taskId: 'nope' })).code).toBe(-32602);
    expect(error(await c.call('tasks/cancel', { taskId: 'nope' })).code).toBe(-32602);
    expect(error(await c.call('tasks/get', {})).code).toBe(-32602);
  });

  it('keeps a task to the principal that created it', async () => {
    const { server } = setup();
    const alice = await connect(server, { token: 'a', scopes: [], clientId: 'app', subject: 'alice' });
    const bob = await connect(server, { token: 'b', scopes: [], clientId: 'app', subject: 'bob' });
    const { taskId } = result(await alice.call('tools/call', { name: 'job', arguments: {} }));
    expect(error(await bob.call('tasks/get', { taskId })).code).toBe(-32602);
    expect(error(await bob.call('tasks/cancel', { taskId })).code).toBe(-32602);
    expect(result(await alice.call('tasks/get', { taskId })).status).toBe('working');
  });
});

describe('Tasks extension: input', () => {
  it('parks on input_required, takes answers one by one, then resumes to completed', async () => {
    const { server } = setup();
    const c = await connect(server);
    const { taskId } = result(await c.call('tools/call', { name: 'ask', arguments: {} }));
    const parked = await untilStatus(c, taskId as string, ['input_required']);
    expect(Object.keys(parked.inputRequests as Msg).sort()).toEqual(['a', 'b']);
    expect((parked.inputRequests as Record<string, Msg>).a?.method).toBe('elicitation/create');
    expect(parked).not.toHaveProperty('requestState');
    const ack = result(
      await c.call('tasks/update', {
        taskId,
        inputResponses: { a: { action: 'accept', content: { v: 'x' } }, zzz: { ignored: true } },
      }),
    );
    expect(ack.resultType).toBe('complete');
    expect(ack).not.toHaveProperty('status');
    const half = result(await c.call('tasks/get', { taskId }));
    expect(half.status).toBe('input_required');
    expect(Object.keys(half.inputRequests as Msg)).toEqual(['b']);
    await c.call('tasks/update', {
      taskId,
      inputResponses: { b: { action: 'accept', content: { v: 'y' } } },
    });
    const done = await untilStatus(c, taskId as string, ['completed', 'failed']);
    expect(done.result).toMatchObject({ content: [{ type: 'text', text: 'x+y' }] });
  });

  it('answers -32602 when inputResponses is not an object', async () => {
    const { server } = setup();
    const c = await connect(server);
    const { taskId } = result(await c.call('tools/call', { name: 'ask', arguments: {} }));
    expect(error(await c.call('tasks/update', { taskId, inputResponses: [] })).code).toBe(-32602);
  });

  it('lets a handler gather input synchronously, then escalate to a task', async () => {
    const { server, release } = setup();
    const c = await connect(server);
    const r1 = result(await c.call('tools/call', { name: 'escalating', arguments: {} }));
    expect(r1.resultType).toBe('input_required');
    expect(r1).not.toHaveProperty('taskId');
    const r2 = result(
      await c.call('tools/call', {
        name: 'escalating',
        arguments: {},
        inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
        requestState: r1.requestState,
      }),
    );
    expect(r2.resultType).toBe('task');
    expect(r2).not.toHaveProperty('requestState');
    expect(r2).not.toHaveProperty('inputRequests');
    release.open();
    const done = await untilStatus(c, r2.taskId as string, ['completed', 'failed']);
    expect(done.result).toMatchObject({
      content: [{ type: 'text', text: `Hi Alice (${String(r2.taskId)})` }],
    });
  });
});
