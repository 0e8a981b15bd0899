/**
 * The `mcpkit` command as a process against the official reference server
 * (`@modelcontextprotocol/server-everything`, over stdio): what it prints on stdout and stderr, and
 * its exit codes.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EVERYTHING, NODE, ROOT, runCli } from './fixtures/cli-process.ts';

const S = ['--stdio', EVERYTHING];

/** A loopback port nobody listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mcpkit against server-everything over stdio', () => {
  it('info shows name, version, revision and era, capabilities and instructions', async () => {
    const r = await runCli(['info', ...S]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mcp-servers\/everything 2\.0\.0\n/);
    expect(r.stdout).toContain('revision     2025-11-25 (legacy era)');
    expect(r.stdout).toMatch(/capabilities .*tools \(listChanged\).*resources \(subscribe, listChanged\)/);
    expect(r.stdout).toContain('instructions\n  # Everything Server');
  });

  it('info --json is machine-readable', async () => {
    const r = await runCli(['info', '--json', ...S]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      serverInfo: { name: 'mcp-servers/everything' },
      protocolVersion: '2025-11-25',
      era: 'legacy',
    });
    expect(info.capabilities.tools).toEqual({ listChanged: true });
  });

  it('tools prints a table with the arguments of each tool', async () => {
    const r = await runCli(['tools', ...S]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ARGUMENTS\s+DESCRIPTION$/);
    expect(lines.find((l) => l.startsWith('get-sum '))).toMatch(
      /^get-sum\s+a\*:number b\*:number\s+Returns the sum of two numbers$/,
    );
    expect(lines.find((l) => l.startsWith('get-annotated-message '))).toContain(
      'messageType*:error|success|debug',
    );
  });

  it('tools --json prints every tool with its schema', async () => {
    const r = await runCli(['tools', '--json', ...S]);
    const tools = JSON.parse(r.stdout) as Array<{ name: string; inputSchema: unknown }>;
    expect(tools.find((t) => t.name === 'echo')?.inputSchema).toMatchObject({ required: ['message'] });
  });

  it('resources, templates and prompts print their tables', async () => {
    const [resources, templates, prompts] = await Promise.all([
      runCli(['resources', ...S]),
      runCli(['templates', ...S]),
      runCli(['prompts', ...S]),
    ]);
    expect(resources.stdout).toMatch(/^URI\s+NAME\s+TYPE\s+DESCRIPTION\n/);
    expect(resources.stdout).toMatch(
      /demo:\/\/resource\/static\/document\/architecture\.md\s+architecture\.md\s+text\/markdown/,
    );
    expect(templates.stdout).toMatch(
      /demo:\/\/resource\/dynamic\/text\/\{resourceId\}\s+Dynamic Text Resource\s+text\/plain/,
    );
    expect(prompts.stdout).toMatch(/args-prompt\s+city\* state\s+A prompt with two arguments/);
  });

  it('call converts key=value arguments with the input schema (numbers stay numbers)', async () => {
    const r = await runCli(['call', ...S, 'get-sum', 'a=2', 'b=3.5']);
    expect(r).toMatchObject({ code: 0, stdout: 'The sum of 2 and 3.5 is 5.5.\n' });
  });

  it('call takes one JSON object too, and --json prints the raw result', async () => {
    const r = await runCli(['call', '--json', ...S, 'get-sum', '{"a": 1, "b": 41}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ content: [{ type: 'text', text: 'The sum of 1 and 41 is 42.' }] });
  });

  it('bad JSON arguments fail with exit code 2 and show the tool’s schema', async () => {
    const r = await runCli(['call', ...S, 'get-sum', '{"a": 1, b}']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("mcpkit: Could not read The arguments for 'get-sum' as JSON");
    expect(r.stderr).toMatch(
      /Parameters of 'get-sum':\n\s+a\s+number\s+required\s+First number\n\s+b\s+number\s+required\s+Second number/,
    );
  });

  it('a value the schema cannot take, or a missing required argument, is a usage error', async () => {
    const bad = await runCli(['call', ...S, 'get-sum', 'a=two', 'b=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'two' is not a valid value for 'a' of 'get-sum'");
    const missing = await runCli(['call', ...S, 'echo']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'echo' needs the argument 'message'.");
  });

  it('an unknown tool fails with the closest names', async () => {
    const r = await runCli(['call', ...S, 'get-summ', 'a=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mcpkit: The server has no tool 'get-summ'. Did you mean 'get-sum'?");
  });

  it('draws progress notifications as a bar on stderr', async () => {
    const r = await runCli(['call', ...S, 'trigger-long-running-operation', 'duration=1', 'steps=2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Long running operation completed. Duration: 1 seconds, Steps: 2.\n');
    expect(r.stderr).toContain('[===========>            ]  50% 1/2');
    expect(r.stderr).toContain('[========================] 100% 2/2');
  });

  it('answers a sampling request with the line typed at the terminal', async () => {
    const r = await runCli(
      ['call', ...S, 'trigger-sampling-request', 'prompt=Say hi'],
      'Hello from the terminal\n',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('The server asks for a model reply (sampling):');
    expect(r.stderr).toContain('user: Resource trigger-sampling-request context: Say hi');
    expect(r.stdout).toContain('"text": "Hello from the terminal"');
  });

  it('refuses sampling with --no-input; the tool’s error result gives exit code 1', async () => {
    const r = await runCli(['call', '--no-input', ...S, 'trigger-sampling-request', 'prompt=x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Refused a sampling request from the server (--no-input).');
    expect(r.stderr).toContain("The tool 'trigger-sampling-request' reported an error:");
  });

  it('answers an elicitation field by field, and declines it with --no-input', async () => {
    const answered = await runCli(
      ['call', ...S, 'trigger-elicitation-request'],
      `y\nAda Lovelace\n${'\n'.repeat(20)}`,
    );
    expect(answered.code).toBe(0);
    expect(answered.stderr).toContain('  name (string, required): Ada Lovelace');
    expect(answered.stdout).toContain('"name": "Ada Lovelace"');
    expect(answered.stdout).toContain('"integer": 42');
    const refused = await runCli(['call', '--no-input', ...S, 'trigger-elicitation-request']);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain('Declined an elicitation request from the server (--no-input)');
    expect(refused.stdout).toContain('"action": "decline"');
  });

  it('reads a resource, gets a prompt and completes an argument', async () => {
    const read = await runCli(['read', ...S, 'demo://resource/dynamic/text/1']);
    expect(read.code).toBe(0);
    expect(read.stdout).toMatch(/^Resource 1: This is a plaintext resource created at .+\n$/);
    const prompt = await runCli(['prompt', ...S, 'args-prompt', 'city=Paris']);
    expect(prompt.code).toBe(0);
    expect(prompt.stdout).toMatch(/── user ──\n.*Paris/);
    const missing = await runCli(['prompt', ...S, 'args-prompt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("The prompt 'args-prompt' needs city=…");
    const complete = await runCli(['complete', ...S, 'prompt:completable-prompt', 'department=E']);
    expect(complete).toMatchObject({ code: 0, stdout: 'Engineering\n' });
  });

  it('a server that dies reports its exit code and the end of its stderr (exit code 3)', async () => {
    const r = await runCli(['call', '--stdio', `${NODE} ${ROOT}test/fixtures/cli-crash-server.mjs`, 'crash']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited with code 7');
    expect(r.stderr).toContain('fatal: out of coffee');
  });

  it('a command that cannot start and an unreachable URL say what was tried (exit code 3)', async () => {
    const missing = await runCli(['info', '--stdio', 'no-such-mcp-server --flag']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("Could not start the MCP server 'no-such-mcp-server'");
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const unreachable = await runCli(['tools', url]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(
      `mcpkit: Could not reach ${url}: connection refused (ECONNREFUSED).`,
    );
    expect(unreachable.stderr).toContain(`POST (server/discover) ${url} → connection refused (ECONNREFUSED)`);
    expect(unreachable.stderr).toContain(`POST (initialize) ${url} → connection refused (ECONNREFUSED)`);
  });

  it('a wrong command line is a usage error (exit code 2)', async () => {
    const r = await runCli(['tools']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Which server? Give its URL');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });
});
