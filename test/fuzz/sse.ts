/** Fuzz properties of the client's SSE reader (readSse, parseMessages) and the server's formatEvent. */
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { formatEvent } from '../../src/http/index.ts';
import { parseMessages, readSse } from '../../src/transport/sse-parse.ts';
import { SseParseError } from '../../src/transport/sse-parser.ts';
import { anyText, cutBytes, cutsArb, messageLikeArb, utf8 } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** One event as the reader reports it. */
interface Seen {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** What a reader saw: events, ids (onId) and retry values, and how it ended. */
interface Reading {
  events: Seen[];
  ids: string[];
  retries: number[];
  error: unknown;
}

function bodyOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c.slice());
      controller.close();
    },
  });
}

/** Reads chunks with readSse, recording everything it reports; never rejects itself. */
export async function read(chunks: readonly Uint8Array[], maxEventChars?: number): Promise<Reading> {
  const r: Reading = { events: [], ids: [], retries: [], error: undefined };
  try {
    await readSse(
      bodyOf(chunks),
      {
        onEvent: (e) => r.events.push({ id: e.id, event: e.event, data: e.data }),
        onId: (id) => r.ids.push(id),
        onRetry: (ms) => r.retries.push(ms),
      },
      maxEventChars,
    );
  } catch (error) {
    r.error = error;
  }
  return r;
}

// U+FEFF is left out of generated text: Node's streaming TextDecoder can drop one that follows a
// character split across chunks (see the stdio properties), which is not the parser's doing.
const lineText = (maxLength: number) =>
  fc.string({ unit: 'grapheme', maxLength }).filter((s) => !/[\r\n\uFEFF]/.test(s));

interface GenEvent {
  comment: string | undefined;
  id: string | undefined;
  event: string | undefined;
  retry: number | undefined;
  lines: string[];
}

const emptyEvent: GenEvent = {
  comment: undefined,
  id: undefined,
  event: undefined,
  retry: undefined,
  lines: [],
};

const eventArb: fc.Arbitrary<GenEvent> = fc.record({
  comment: fc.option(lineText(10), { nil: undefined }),
  id: fc.option(
    lineText(10).filter((s) => !s.includes('\u0000')),
    { nil: undefined },
  ),
  event: fc.option(lineText(10), { nil: undefined }),
  retry: fc.option(fc.nat(100_000), { nil: undefined }),
  lines: fc.array(lineText(30), { minLength: 1, maxLength: 4 }),
});

function fixedChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** Serializes events with one line terminator throughout (mixing them makes `\r` + `\n` ambiguous). */
function serialize(events: readonly GenEvent[], eol: string): string {
  let out = '';
  for (const e of events) {
    if (e.comment !== undefined) out += `:${e.comment}${eol}`;
    if (e.event !== undefined) out += `event: ${e.event}${eol}`;
    if (e.id !== undefined) out += `id: ${e.id}${eol}`;
    if (e.retry !== undefined) out += `retry: ${e.retry}${eol}`;
    for (const line of e.lines) out += `data: ${line}${eol}`;
    out += eol;
  }
  return out;
}

function expectedOf(events: readonly GenEvent[]): Omit<Reading, 'error'> {
  return {
    events: events.map((e) => ({
      id: e.id,
      event: e.event === '' ? undefined : e.event,
      data: e.lines.join('\n'),
    })),
    ids: events.flatMap((e) => (e.id === undefined ? [] : [e.id])),
    retries: events.flatMap((e) => (e.retry === undefined ? [] : [e.retry])),
  };
}

function same(got: Reading, want: Omit<Reading, 'error'>): void {
  if (got.error !== undefined) throw new Error(`readSse rejected: ${String(got.error)}`);
  const g = JSON.stringify({ events: got.events, ids: got.ids, retries: got.retries });
  if (g !== JSON.stringify(want)) throw new Error(`read ${g}, expected ${JSON.stringify(want)}`);
}

const eolArb = fc.constantFrom('\n', '\r\n', '\r');

const garbageArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  anyText.map(utf8),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'data:',
          'data: ',
          'id:',
          'event:',
          'retry:',
          'retry: x',
          ':',
          '\n',
          '\r',
          '\r\n',
          '\uFEFF',
        ),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 30 },
    )
    .map((parts) => utf8(parts.join(''))),
);

/** The SSE properties. */
export const sseFuzz: FuzzGroup = {
  parser: 'SSE reader (readSse)',
  properties: [
    defineProperty('any chunking of a valid event stream yields the same events, ids and retries', () =>
      fc.asyncProperty(fc.array(eventArb, { maxLength: 6 }), eolArb, cutsArb, async (events, eol, cuts) => {
        same(await read(cutBytes(utf8(serialize(events, eol)), cuts)), expectedOf(events));
      }),
    ),
    defineProperty('formatEvent output reads back as the same data, id and event name', () =>
      fc.asyncProperty(
        fc.array(
          fc.record({
            message: messageLikeArb,
            id: fc.option(
              lineText(12).filter((s) => !s.includes('\u0000')),
              { nil: undefined },
            ),
            event: fc.option(
              lineText(8).filter((s) => s !== ''),
              { nil: undefined },
            ),
          }),
          { maxLength: 5 },
        ),
        cutsArb,
        async (items, cuts) => {
          const text = items.map((i) => formatEvent(JSON.stringify(i.message), i.id, i.event)).join('');
          const got = await read(cutBytes(utf8(text), cuts));
          same(got, {
            events: items.map((i) => ({ id: i.id, event: i.event, data: JSON.stringify(i.message) })),
            ids: items.flatMap((i) => (i.id === undefined ? [] : [i.id])),
            retries: [],
          });
          const back = got.events.map((e) => JSON.stringify(parseMessages(e.data)[0]));
          if (JSON.stringify(back) !== JSON.stringify(items.map((i) => JSON.stringify(i.message)))) {
            throw new Error(`messages read back as ${JSON.stringify(back)}`);
          }
        },
      ),
    ),
    defineProperty(
      'on any bytes, however cut, readSse reports what the eventsource-parser library reports',
      () =>
        fc.asyncProperty(garbageArb, cutsArb, async (bytes, cuts) => {
          const got = await read(cutBytes(bytes, cuts));
          const want: Omit<Reading, 'error'> = { events: [], ids: [], retries: [] };
          const oracle = createParser({
            onEvent: (e) => want.events.push({ id: e.id, event: e.event, data: e.data }),
            onId: (id) => want.ids.push(id),
            onRetry: (ms) => want.retries.push(ms),
          });
          oracle.feed(new TextDecoder().decode(bytes));
          same(got, want);
        }),
    ),
    defineProperty('garbage never makes readSse throw or reject (default limit)', () =>
      fc.asyncProperty(garbageArb, cutsArb, async (bytes, cuts) => {
        const got = await read(cutBytes(bytes, cuts));
        if (got.error !== undefined) throw new Error(`readSse rejected: ${String(got.error)}`);
        for (const e of got.events)
          if (typeof e.data !== 'string') throw new Error('event data not a string');
      }),
    ),
    defineProperty(
      'an event larger than the limit plus one chunk rejects with max-buffer-size-exceeded',
      () =>
        fc.asyncProperty(
          fc.array(eventArb, { maxLength: 3 }),
          fc.integer({ min: 64, max: 256 }),
          fc.integer({ min: 1, max: 64 }),
          fc.integer({ min: 1, max: 300 }),
          fc.boolean(),
          async (before, limit, size, extra, multiLine) => {
            // The reader checks what it buffers between chunks, so one chunk's worth may go past the limit.
            const small = before.filter((e) => serialize([e], '\n').length <= limit);
            const over = limit + size + extra;
            const big = multiLine
              ? Array.from({ length: Math.ceil(over / 16) }, () => 'y'.repeat(16))
              : ['x'.repeat(over)];
            const text = serialize(small, '\n') + serialize([{ ...emptyEvent, lines: big }], '\n');
            const got = await read(fixedChunks(utf8(text), size), limit);
            if (!(got.error instanceof SseParseError) || got.error.type !== 'max-buffer-size-exceeded') {
              throw new Error(`expected max-buffer-size-exceeded, got ${String(got.error)}`);
            }
            if (JSON.stringify(got.events) !== JSON.stringify(expectedOf(small).events)) {
              throw new Error(`events before the big one were lost: ${JSON.stringify(got.events)}`);
            }
          },
        ),
    ),
    defineProperty('events no larger than the limit are always delivered, however the bytes are cut', () =>
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 6 }),
        eolArb,
        fc.integer({ min: 8, max: 128 }),
        cutsArb,
        async (events, eol, limit, cuts) => {
          const fit = events.filter((e) => serialize([e], eol).length <= limit);
          same(await read(cutBytes(utf8(serialize(fit, eol)), cuts), limit), expectedOf(fit));
        },
      ),
    ),
    defineProperty('parseMessages returns the messages of JSON text and throws only SyntaxError', () =>
      fc.property(
        fc.oneof(
          anyText,
          fc.json(),
          fc.array(messageLikeArb).map((a) => JSON.stringify(a)),
        ),
        (text) => {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            try {
              parseMessages(text);
            } catch (error) {
              if (error instanceof SyntaxError) return;
              throw error;
            }
            throw new Error('parseMessages accepted text that is not JSON');
          }
          const got = parseMessages(text);
          const want = Array.isArray(value) ? value : [value];
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`got ${JSON.stringify(got)}`);
        },
      ),
    ),
  ],
};
