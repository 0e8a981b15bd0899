import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServerHandle, serveHttp } from './http.ts';

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('serveHttp / toNodeHandler', () => {
  it('binds 127.0.0.1 by default and passes method, URL, headers and body to the handler', async () => {
    let seen: { method: string; url: string; host: string | null; body: string } | undefined;
    handle = await serveHttp(
      async (req) => {
        seen = { method: req.method, url: req.url, host: req.headers.get('host'), body: await req.text() };
        return new Response('ok', { status: 201, headers: { 'x-one': '1' } });
      },
      { port: 0 },
    );
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect((handle.server.address() as { address: string }).address).toBe('127.0.0.1');
    const res = await fetch(`${handle.url}/a/b?c=d`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-one')).toBe('1');
    expect(await res.text()).toBe('ok');
    expect(seen).toEqual({
      method: 'POST',
      url: `http://127.0.0.1:${handle.port}/a/b?c=d`,
      host: `127.0.0.1:${handle.port}`,
      body: 'hello',
    });
  });

  it('keeps every Set-Cookie header', async () => {
    handle = await serveHttp(
      async () => {
        const h = new Headers();
        h.append('set-cookie', 'a=1');
        h.append('set-cookie', 'b=2');
        return new Response(null, { status: 204, headers: h });
      },
      { port: 0 },
    );
    const res = await fetch(handle.url);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('streams the body as it is produced', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    handle = await serveHttp(
      async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(c) {
              c.enqueue(new TextEncoder().encode('first'));
              await gate;
              c.enqueue(new TextEncoder().encode('second'));
              c.close();
            },
          }),
        ),
      { port: 0 },
    );
    const res = await fetch(handle.url);
    const reader = (res.body as ReadableStream<BufferSource>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    expect((await reader.read()).value).toBe('first');
    release();
    expect((await reader.read()).value).toBe('second');
    expect((await reader.read()).done).toBe(true);
  });

  it('aborts the request signal and cancels the body when the client goes away', async () => {
    let aborted = false;
    let cancelled = false;
    let started: () => void = () => {};
    const begun = new Promise<void>((r) => {
      started = r;
    });
    handle = await serveHttp(
      async (req) => {
        req.signal.addEventListener('abort', () => {
          aborted = true;
        });
        return new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(new TextEncoder().encode('x'));
              started();
            },
            cancel() {
              cancelled = true;
            },
          }),
        );
      },
      { port: 0 },
    );
    const req = httpRequest(`${handle.url}/`, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.end();
    await begun;
    for (let i = 0; i < 200 && !(aborted && cancelled); i++) await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(true);
    expect(cancelled).toBe(true);
  });

  it('answers 500 when the handler throws, and close() ends open streams', async () => {
    handle = await serveHttp(
      async (req) => {
        if (req.url.endsWith('/boom')) throw new Error('boom');
        return new Response(new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array([1])) }));
      },
      { port: 0 },
    );
    expect((await fetch(`${handle.url}/boom`)).status).toBe(500);
    const open = await fetch(handle.url);
    const reader = (open.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const closing = handle.close();
    handle = undefined;
    await closing;
    await expect(reader.read()).rejects.toThrow();
  });
});
