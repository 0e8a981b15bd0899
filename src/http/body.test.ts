import { describe, expect, it } from 'vitest';
import { accepts, parseBody } from './body.ts';

/** What `accepts` must agree with: each entry split off, stripped of parameters and white space, lower-cased. */
function byParts(header: string, type: string): boolean {
  return header.split(',').some((part) => part.split(';', 1)[0]?.trim().toLowerCase() === type);
}

describe('accepts: an Accept header read in place', () => {
  it('finds a type among entries with parameters, white space and any case', () => {
    const header = ' Application/JSON ;q=0.9,\ttext/event-stream , */*;q=0.1';
    expect(accepts(header, 'application/json')).toBe(true);
    expect(accepts(header, 'text/event-stream')).toBe(true);
    expect(accepts(header, 'text/html')).toBe(false);
    expect(accepts('application/jsonx, text/event-streams', 'application/json')).toBe(false);
    expect(accepts('application/json;', 'application/json')).toBe(true);
    expect(accepts('', 'application/json')).toBe(false);
    expect(accepts(',,', 'application/json')).toBe(false);
    expect(accepts(null, 'application/json')).toBe(false);
  });

  it('agrees with splitting the header, on headers made of awkward pieces', () => {
    const pieces = ['application/json', 'TEXT/Event-Stream', ' ', '\t', ',', ';', 'q=1', '*/*', 'a', ';x=,'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let i = 0; i < 3000; i++) {
      let header = '';
      for (let n = next() % 8; n > 0; n--) header += pieces[next() % pieces.length];
      for (const type of ['application/json', 'text/event-stream']) {
        expect(accepts(header, type), JSON.stringify(header)).toBe(byParts(header, type));
      }
    }
  });
});

describe('parseBody', () => {
  it('names an empty or blank body as empty, and other bad JSON by the parser’s message', async () => {
    for (const text of ['', '  \n\t']) {
      const answer = parseBody(text) as Response;
      expect(answer.status).toBe(400);
      expect((await answer.json()).error.message).toBe(
        'Parse error: the request body is empty; send a JSON-RPC message.',
      );
    }
    const bad = parseBody('{"jsonrpc":') as Response;
    expect((await bad.json()).error.message).toMatch(/^Parse error: (?!the request body is empty)/);
    expect(parseBody(' {"jsonrpc":"2.0","method":"ping","id":1} ')).toMatchObject({ batch: false });
  });
});
