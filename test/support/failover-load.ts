/**
 * A bounded load through a Redis failover, for the failover tests: one worker per session sends
 * `tools/call add` after `tools/call add` to the nodes in turn, each with a 10 s deadline, and
 * records how each ended; then checks that every session and every stored event survived.
 */
import { expect } from 'vitest';
import type { Bus, EventStore } from '../../src/store/index.ts';
import { messages, post, readEvents } from '../http-server-fixtures.ts';
import type { SessionHeaders } from './redis-clients.ts';
import { until } from './redis-topology.ts';

/** How one request ended. */
export type Outcome =
  | {
      kind: 'answered';
      at: number;
      session: SessionHeaders;
      id: number;
      /** The events the client got with an id (stored before they were sent), as [id, data]. */
      stored: [string, string][];
    }
  | { kind: 'unavailable'; at: number; message: string }
  | { kind: 'failed-in-stream'; at: number; message: string }
  | { kind: 'other'; at: number; detail: string };

/** The 503 a node answers while Redis cannot serve a request. */
export const UNAVAILABLE = /^Service Unavailable: Redis is unavailable \(.+\); retry shortly\.$/;

async function callAdd(url: string, session: SessionHeaders, id: number): Promise<Outcome> {
  const body = {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'add', arguments: { a: id, b: id + 1 } },
  };
  const signal = AbortSignal.timeout(10_000);
  try {
    const res = await post(url, body, session, signal);
    if (res.status === 503) {
      const error = ((await res.json()) as { error: { message: string } }).error;
      return { kind: 'unavailable', at: Date.now(), message: error.message };
    }
    if (res.status !== 200)
      return { kind: 'other', at: Date.now(), detail: `HTTP ${res.status}: ${await res.text()}` };
    const { events } = await readEvents(res);
    const answer = messages(events).find((m) => m.id === id) as
      | { result?: { structuredContent?: { sum: number } }; error?: { message: string } }
      | undefined;
    if (answer?.error) return { kind: 'failed-in-stream', at: Date.now(), message: answer.error.message };
    if (answer?.result?.structuredContent?.sum !== 2 * id + 1) {
      return { kind: 'other', at: Date.now(), detail: `no answer on the stream: ${JSON.stringify(events)}` };
    }
    const stored = events.flatMap((e): [string, string][] => (e.id === undefined ? [] : [[e.id, e.data]]));
    return { kind: 'answered', at: Date.now(), session, id, stored };
  } catch (error) {
    return {
      kind: 'other',
      at: Date.now(),
      detail: signal.aborted ? 'no answer within 10 s' : String(error),
    };
  }
}

/** What the load saw. */
export interface FailoverRun {
  outcomes: Outcome[];
  killedAt: number;
  promotedAt: number;
  /** One line for the log: counts and times. */
  summary: string;
}

/**
 * Runs the load on `sessions` through `urls`; once 60 requests were answered, `kill()`s the
 * primary, waits until `promoted()` holds, and stops a second after the first answer after that.
 */
export async function loadThroughFailover(
  urls: readonly string[],
  sessions: readonly SessionHeaders[],
  kill: () => Promise<void>,
  promoted: () => Promise<boolean>,
): Promise<FailoverRun> {
  const outcomes: Outcome[] = [];
  let killedAt = Number.POSITIVE_INFINITY;
  let promotedAt = Number.POSITIVE_INFINITY;
  let stopAt = Number.POSITIVE_INFINITY;
  let nextId = 1;
  let slowest = 0;
  const worker = async (session: SessionHeaders) => {
    while (Date.now() < stopAt) {
      const id = nextId++;
      const began = Date.now();
      const outcome = await callAdd(urls[id % urls.length] as string, session, id);
      slowest = Math.max(slowest, outcome.at - began);
      outcomes.push(outcome);
      if (outcome.kind !== 'answered') await new Promise((r) => setTimeout(r, 20));
      if (outcome.kind === 'answered' && outcome.at > promotedAt && stopAt === Number.POSITIVE_INFINITY) {
        stopAt = Date.now() + 1000; // a second of load on the promoted replica, then stop
      }
    }
  };
  const load = Promise.all(sessions.map((s) => worker(s)));
  await until(async () => outcomes.filter((o) => o.kind === 'answered').length >= 60, 'load before the kill');
  killedAt = Date.now();
  await kill();
  await until(promoted, 'a replica to be promoted', 30_000);
  promotedAt = Date.now();
  await until(
    async () => stopAt !== Number.POSITIVE_INFINITY,
    'a request answered after the failover',
    30_000,
  );
  await load;
  const count = (kind: Outcome['kind'], f: (o: Outcome) => boolean = () => true) =>
    outcomes.filter((o) => o.kind === kind && f(o)).length;
  const firstAfter = outcomes.find((o) => o.kind === 'answered' && o.at > promotedAt)?.at ?? 0;
  const summary =
    `${count('answered', (o) => o.at < killedAt)} answered before the kill, ` +
    `${count('unavailable')} answered 503, ${count('failed-in-stream')} failed on their stream, ` +
    `${count('answered', (o) => o.at > killedAt)} answered after it; a replica was promoted ` +
    `${promotedAt - killedAt} ms after the kill, the first answer after that came ${firstAfter - promotedAt} ms later; the slowest request took ${slowest} ms`;
  return { outcomes, killedAt, promotedAt, summary };
}

/** Every request ended with an answer or a clear 503 (or a clear error on its stream); some after the failover. */
export function expectEveryRequestEnded(run: FailoverRun): void {
  expect(run.outcomes.filter((o) => o.kind === 'other')).toEqual([]);
  for (const o of run.outcomes) {
    if (o.kind === 'unavailable') expect(o.message).toMatch(UNAVAILABLE);
    if (o.kind === 'failed-in-stream') expect(o.message).toMatch(/Redis is unavailable/);
  }
  expect(run.outcomes.filter((o) => o.kind === 'answered' && o.at > run.promotedAt).length).toBeGreaterThan(
    0,
  );
}

/** Every session answers a ping on every node, and every event a client got with an id is still stored. */
export async function expectNothingLost(
  run: FailoverRun,
  urls: readonly string[],
  sessions: readonly SessionHeaders[],
  events: EventStore,
): Promise<string> {
  for (const [i, h] of sessions.entries()) {
    for (const url of urls) {
      const res = await post(url, { jsonrpc: '2.0', id: `after-${i}`, method: 'ping' }, h);
      expect(res.status).toBe(200);
      expect(messages((await readEvents(res)).events)).toEqual([
        { jsonrpc: '2.0', id: `after-${i}`, result: {} },
      ]);
    }
  }
  // Read after the first, each stream holds every later event. (An event that could not be stored
  // during the outage went out without an id: the client has it, and knows it cannot resume from it.)
  const answered = run.outcomes.filter((o) => o.kind === 'answered');
  let checked = 0;
  for (const o of answered) {
    const [first, ...rest] = o.stored;
    if (!first) continue;
    const page = await events.readAfter?.(first[0]);
    expect(page?.events.slice(0, rest.length).map((e) => [e.id, e.data])).toEqual(rest);
    checked += rest.length + 1;
  }
  expect(checked).toBeGreaterThan(answered.length);
  const unstored = answered.filter((o) => o.stored.length < 2).length;
  return `${checked} stored events checked; ${unstored} answers went out without being stored`;
}

/**
 * Subscribes `listener` to 12 channels (spread over every shard of a cluster) before a failover;
 * the function it resolves with checks, after it, that each subscription was made again: it
 * publishes on each channel from `speaker` (again every 200 ms, for a resubscription on its way)
 * until every one has delivered, 20 s at most.
 */
export async function subscribedAcross(listener: Bus, speaker: Bus): Promise<() => Promise<void>> {
  const channels = Array.from({ length: 12 }, (_, i) => `node:check${i}`);
  const got = new Set<string>();
  await Promise.all(channels.map((c) => listener.subscribe(c, (m) => void got.add(`${c}=${m}`))));
  return async () => {
    const missing = () => channels.filter((c) => !got.has(`${c}=after`));
    let last = 0;
    await until(
      async () => {
        if (Date.now() - last >= 200) {
          last = Date.now();
          await Promise.all(missing().map((c) => speaker.publish(c, 'after').catch(() => {})));
        }
        return missing().length === 0;
      },
      `every subscription made again after the failover (missing: ${missing().join(', ')})`,
    );
  };
}
