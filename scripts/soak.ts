/**
 * The soak run: mixed load over many sessions against the real HTTP handler on 127.0.0.1, with
 * clients connecting, disconnecting, abandoning sessions and cancelling calls, while the server's
 * heap and RSS are sampled after garbage collection. Fails when memory keeps growing or when any
 * call fails in a way the load did not ask for.
 *
 * Usage: node scripts/soak.ts [--minutes N] [--sessions N] [--sample-seconds N] [--event-ttl-seconds N]
 *        [--keep-alive-seconds N]
 * The server runs in a child process (started with --expose-gc) so that its memory is measured
 * apart from the clients'.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { McpClient } from '../src/client/index.ts';
import { createHttpHandler } from '../src/http/index.ts';
import { serveHttp } from '../src/node/index.ts';
import { RequestCancelledError } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { MemoryEventStore } from '../src/store/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';

interface Sample {
  at: number;
  heapUsed: number;
  rss: number;
  sessions: number;
  inFlight: number;
  serverSessions: number;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number`);
    process.exit(2);
  }
  return value;
}

/** The server side: the MCP server behind the HTTP handler, answering memory samples over IPC. */
async function runServer(): Promise<void> {
  const server = new McpServer({ name: 'soak', version: '1.0.0', onError: () => {} });
  server.tool('echo', { description: 'Echoes its arguments.' }, (args) => JSON.stringify(args));
  server.tool('work', { description: 'Logs and reports progress.' }, async (args, ctx) => {
    const steps = Number((args as { steps?: number }).steps ?? 3);
    for (let i = 1; i <= steps; i++) {
      await ctx.log('info', `step ${i}`);
      await ctx.progress(i, steps);
      await new Promise((r) => setTimeout(r, 5));
    }
    return `worked ${steps}`;
  });
  server.tool(
    'wait',
    { description: 'Waits until cancelled.' },
    (_args, ctx) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve('waited'), 30_000);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve('cancelled');
        });
      }),
  );
  server.tool('fail', { description: 'Throws.' }, () => {
    throw new Error('expected failure');
  });
  server.resource('soak://blob', { name: 'blob' }, () => 'z'.repeat(2048));
  // Resumable streams stay in the event store for its TTL after they end (default 10 minutes); a
  // shorter TTL lets the run reach its steady state well within its length.
  const ttlMs = option('--event-ttl-seconds', 60) * 1000;
  const handler = createHttpHandler(server, {
    maxSessions: 20_000,
    sessionIdleMs: 15_000,
    eventStore: new MemoryEventStore({ ttlMs }),
  });
  const listening = await serveHttp(handler, { port: 0 });
  // Keep idle connections longer than a loaded client's pool may take to retire them (see RELIABILITY.md).
  listening.server.keepAliveTimeout = option('--keep-alive-seconds', 65) * 1000;
  process.on('message', (message: unknown) => {
    if (message !== 'sample') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.send?.({
      at: Date.now(),
      heapUsed: m.heapUsed,
      rss: m.rss,
      sessions: handler.sessionCount,
      inFlight: handler.requestsInFlight,
      serverSessions: server.sessions.size,
    } satisfies Sample);
  });
  process.on('disconnect', () => {
    void handler
      .close()
      .then(() => listening.close())
      .then(() => process.exit(0));
  });
  process.send?.({ url: `${listening.url}/mcp` });
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;

interface Tally {
  calls: number;
  cancelled: number;
  sessionsOpened: number;
  sessionsClosed: number;
  sessionsAbandoned: number;
  unexpected: string[];
}

/** An error with its chain of causes (a fetch failure says why only in its causes). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- ');
}

/** Records a failure the load did not ask for; the first few are printed as they happen. */
function unexpected(tally: Tally, line: string): void {
  tally.unexpected.push(line);
  if (tally.unexpected.length <= 5) console.log(`  unexpected: ${line}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = (n: number) => Math.floor(Math.random() * n);

/** One simulated user: sessions opened one after another until the deadline. */
async function user(url: string, deadline: number, tally: Tally, slot: number): Promise<void> {
  while (Date.now() < deadline) {
    const modern = slot % 5 === 0;
    const abandon = Math.random() < 0.1;
    const client = new McpClient({
      era: modern ? 'modern' : 'legacy',
      name: `soak-${slot}`,
      timeout: 30_000,
    });
    const transport = new StreamableHttpClientTransport(url, { terminateOnClose: !abandon });
    try {
      await client.connect(transport);
      tally.sessionsOpened++;
      const ops = 5 + pick(20);
      for (let i = 0; i < ops && Date.now() < deadline; i++) {
        await operation(client, tally, slot, i);
        await sleep(200 + pick(1300));
      }
    } catch (error) {
      unexpected(tally, `slot ${slot}: ${describe(error)}`);
    } finally {
      await client.close().catch((e: Error) => unexpected(tally, `close: ${e.message}`));
      if (abandon) tally.sessionsAbandoned++;
      else tally.sessionsClosed++;
    }
  }
}

async function operation(client: McpClient, tally: Tally, slot: number, i: number): Promise<void> {
  tally.calls++;
  switch (pick(6)) {
    case 0: {
      const r = await client.callTool('echo', { slot, i });
      const text = (r.content[0] as { text?: string }).text;
      if (text !== JSON.stringify({ slot, i })) throw new Error(`echo answered ${text} to ${slot}/${i}`);
      return;
    }
    case 1: {
      let seen = 0;
      const r = await client.callTool('work', { steps: 3 }, { onprogress: () => seen++ });
      if ((r.content[0] as { text?: string }).text !== 'worked 3' || seen !== 3) {
        throw new Error(`work answered ${JSON.stringify(r.content)} with ${seen} progress notifications`);
      }
      return;
    }
    case 2: {
      const ac = new AbortController();
      const call = client.callTool('wait', {}, { signal: ac.signal });
      setTimeout(() => ac.abort('soak cancel'), 20 + pick(200));
      try {
        await call;
        throw new Error('a cancelled call was answered');
      } catch (error) {
        if (!(error instanceof RequestCancelledError)) throw error;
        tally.cancelled++;
      }
      return;
    }
    case 3: {
      const r = await client.callTool('fail');
      if (!r.isError) throw new Error('the failing tool did not answer isError');
      return;
    }
    case 4: {
      const r = await client.readResource('soak://blob');
      if ((r.contents[0] as { text?: string }).text?.length !== 2048) throw new Error('short resource');
      return;
    }
    default: {
      const r = await client.listTools();
      if (r.tools.length !== 4) throw new Error(`listed ${r.tools.length} tools`);
    }
  }
}

/** Growth of post-GC memory: the last quarter's minimum minus the first quarter's median (after warm-up). */
function growth(samples: Sample[], key: 'heapUsed' | 'rss'): { base: number; end: number; delta: number } {
  const values = samples.map((s) => s[key]);
  const q = Math.max(1, Math.floor(values.length / 4));
  const first = [...values.slice(0, q)].sort((a, b) => a - b);
  const base = first[Math.floor(first.length / 2)] as number;
  const end = Math.min(...values.slice(-q));
  return { base, end, delta: end - base };
}

async function runLoad(): Promise<void> {
  const minutes = option('--minutes', 10);
  const sessions = option('--sessions', 1000);
  const sampleMs = option('--sample-seconds', 10) * 1000;
  const script = fileURLToPath(import.meta.url);
  const ttl = String(option('--event-ttl-seconds', 60));
  const keepAlive = String(option('--keep-alive-seconds', 65));
  const child: ChildProcess = fork(
    script,
    ['--server', '--event-ttl-seconds', ttl, '--keep-alive-seconds', keepAlive],
    {
      execArgv: ['--expose-gc'],
      stdio: 'inherit',
    },
  );
  const url = await new Promise<string>((resolve) => {
    child.once('message', (m: unknown) => resolve((m as { url: string }).url));
  });
  const sample = () =>
    new Promise<Sample>((resolve) => {
      child.once('message', (m: unknown) => resolve(m as Sample));
      child.send('sample');
    });
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const tally: Tally = {
    calls: 0,
    cancelled: 0,
    sessionsOpened: 0,
    sessionsClosed: 0,
    sessionsAbandoned: 0,
    unexpected: [],
  };
  console.log(`soak: ${sessions} users for ${minutes} min against ${url}`);
  const users: Promise<void>[] = [];
  for (let slot = 0; slot < sessions; slot++) {
    users.push(user(url, deadline, tally, slot));
    if (slot % 50 === 49) await sleep(100); // ramp up
  }
  const samples: Sample[] = [];
  const warmup = Math.max(30_000, minutes * 60_000 * 0.2);
  const timer = setInterval(async () => {
    const s = await sample();
    const elapsed = ((s.at - started) / 1000).toFixed(0);
    console.log(
      `${elapsed.padStart(5)} s  heap ${mb(s.heapUsed).padStart(9)}  rss ${mb(s.rss).padStart(9)}  ` +
        `sessions ${String(s.sessions).padStart(5)}  in flight ${String(s.inFlight).padStart(4)}  ` +
        `calls ${tally.calls}  unexpected ${tally.unexpected.length}`,
    );
    if (s.at - started >= warmup && s.at < deadline) samples.push(s);
  }, sampleMs);
  await Promise.all(users);
  clearInterval(timer);
  await sleep(1000);
  const last = await sample();
  child.disconnect();
  const heap = growth(samples, 'heapUsed');
  const rss = growth(samples, 'rss');
  const heapLimit = Math.max(16 * MB, heap.base * 0.25);
  const rssLimit = Math.max(64 * MB, rss.base * 0.5);
  const memoryOk = samples.length >= 4 && heap.delta <= heapLimit && rss.delta <= rssLimit;
  const callsOk = tally.unexpected.length === 0;
  console.log('\nsoak summary');
  console.log(`  duration            ${((Date.now() - started) / 60_000).toFixed(1)} min, ${sessions} users`);
  console.log(
    `  sessions            ${tally.sessionsOpened} opened, ${tally.sessionsClosed} closed, ${tally.sessionsAbandoned} abandoned`,
  );
  console.log(`  calls               ${tally.calls} (${tally.cancelled} cancelled on purpose)`);
  console.log(`  unexpected failures ${tally.unexpected.length}`);
  for (const u of tally.unexpected.slice(0, 10)) console.log(`    ${u}`);
  console.log(
    `  heap after GC       ${mb(heap.base)} -> ${mb(heap.end)} (growth ${mb(heap.delta)}, limit ${mb(heapLimit)})`,
  );
  console.log(
    `  rss                 ${mb(rss.base)} -> ${mb(rss.end)} (growth ${mb(rss.delta)}, limit ${mb(rssLimit)})`,
  );
  console.log(
    `  at the end          ${last.sessions} live sessions (abandoned ones wait for idle eviction), ${last.inFlight} requests in flight`,
  );
  console.log(`  result              ${memoryOk && callsOk ? 'PASS' : 'FAIL'}`);
  process.exit(memoryOk && callsOk ? 0 : 1);
}

if (process.argv.includes('--server')) await runServer();
else await runLoad();
