import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('stdio: input that ends while requests are in flight (basic/transports, "stdio")', () => {
  it('answers every request it read before stdin ended, then exits 0', () => {
    const input = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'pipe', version: '1' },
        },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_tool_with_logging' } },
      { jsonrpc: '2.0', id: 3, method: 'ping' },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n');
    const run = spawnSync(process.execPath, ['src/node/serve-stdio.ts'], {
      input: `${input}\n`,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(0);
    const ids = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id?: number })
      .filter((m) => m.id !== undefined)
      .map((m) => m.id)
      .sort();
    expect(ids).toEqual([1, 2, 3]);
  });
});
