import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectWire } from '../../test/support/wire.ts';
import { McpServer } from './index.ts';
import { toolNameProblems } from './tool-name.ts';

function quietServer(warnings: string[]): McpServer {
  return new McpServer({ name: 'demo', version: '1.0.0', onWarning: (m) => warnings.push(m) });
}

describe('a bare shape as a tool schema', () => {
  it('is refused at registration, saying to wrap it in z.object(…)', () => {
    const server = new McpServer({ name: 'demo', version: '1.0.0' });
    const bare = { city: z.string(), days: z.number() };
    // A bare shape type-checks as a JSON Schema object; it must still be refused.
    expect(() => server.tool('forecast', { input: bare }, () => 'x')).toThrow(
      "Tool 'forecast' input is an object of schemas ({ city: …, days: … }), not a schema: wrap it in " +
        "z.object({ city: …, days: … }) (or your library's object schema), or pass a JSON Schema object.",
    );
    expect(() => server.tool('forecast', { output: { tempC: z.number() } }, () => 'x')).toThrow(
      /output is an object of schemas \(\{ tempC: … \}\), not a schema: wrap it in z\.object/,
    );
  });

  it('leaves z.object(…) and plain JSON Schema alone', async () => {
    const server = new McpServer({ name: 'demo', version: '1.0.0' });
    server.tool('a', { input: z.object({ city: z.string() }) }, ({ city }) => city);
    server.tool('b', { input: { type: 'object', properties: { city: { type: 'string' } } } }, () => 'b');
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const { response } = await wire.call('tools/call', { name: 'a', arguments: { city: 'Oslo' } });
    expect(response.result).toEqual({ content: [{ type: 'text', text: 'Oslo' }] });
  });
});

describe('tool names against the spec’s rules', () => {
  it('registers a name with a space, with a warning that quotes the rule', async () => {
    const warnings: string[] = [];
    const server = quietServer(warnings);
    server.tool('get weather', {}, () => 'sunny');
    expect(warnings).toEqual([
      'Tool name "get weather": it contains space; tool names SHOULD use only A-Z, a-z, 0-9, underscore, ' +
        'hyphen and dot (e.g. "get_weather" rather than "get weather") (MCP 2025-11-25 server/tools "Tool Names").',
    ]);
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const { response } = await wire.call('tools/call', { name: 'get weather', arguments: {} });
    expect(response.result).toEqual({ content: [{ type: 'text', text: 'sunny' }] });
  });

  it('warns about empty, over-long and comma names, and not about the spec’s own examples', () => {
    const warnings: string[] = [];
    const server = quietServer(warnings);
    for (const name of ['getUser', 'DATA_EXPORT_v2', 'admin.tools.list', 'a-b', 'x'.repeat(128)]) {
      server.tool(name, {}, () => 'ok');
    }
    expect(warnings).toEqual([]);
    server.tool('', {}, () => 'ok');
    server.tool('y'.repeat(129), {}, () => 'ok');
    server.tool('a,b/c', {}, () => 'ok');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^Tool name "": it is empty; tool names SHOULD be 1 to 128 characters long/);
    expect(warnings[1]).toMatch(/it is 129 characters long; tool names SHOULD be at most 128 characters/);
    expect(warnings[2]).toMatch(/it contains ",", "\/"; tool names SHOULD use only/);
  });

  it('refuses the registration when onWarning throws, and a name that is not a string', () => {
    const server = new McpServer({
      name: 'demo',
      version: '1.0.0',
      onWarning: (m) => {
        throw new Error(m);
      },
    });
    expect(() => server.tool('two words', {}, () => 'x')).toThrow(/Tool name "two words": it contains space/);
    expect(server.tool('two_words', {}, () => 'x')).toBeDefined();
    expect(() => server.tool(42 as unknown as string, {}, () => 'x')).toThrow(
      "A tool name must be a string, got number; e.g. server.tool('get_weather', …).",
    );
  });

  it('finds no problem in a 1-character name of each allowed kind', () => {
    for (const name of ['a', 'Z', '0', '_', '-', '.']) expect(toolNameProblems(name)).toEqual([]);
  });
});
