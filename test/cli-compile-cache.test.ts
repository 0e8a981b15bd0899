/**
 * `mcpkit` turns on Node's compile cache (Node 22.1 and later), so that a second run starts from
 * compiled code; NODE_DISABLE_COMPILE_CACHE=1 turns it off. The cache lands in `<tmpdir>/node-compile-cache`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../src/cli/version.ts';
import { MAIN, NODE, ROOT } from './fixtures/cli-process.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `mcpkit --version` with TMPDIR set to a fresh folder; returns the folder and what it printed. */
function versionIn(extraEnv: Record<string, string>): { dir: string; stdout: string; code: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-cache-'));
  made.push(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir, ...extraEnv };
  delete env.NODE_COMPILE_CACHE;
  if (!('NODE_DISABLE_COMPILE_CACHE' in extraEnv)) delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(NODE, [MAIN, '--version'], { cwd: ROOT, env, encoding: 'utf8' });
  return { dir, stdout: r.stdout, code: r.status };
}

/** The files in the cache folder, at any depth. */
function cached(dir: string): string[] {
  const cache = join(dir, 'node-compile-cache');
  return existsSync(cache) ? readdirSync(cache, { recursive: true }).map(String) : [];
}

const supported = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('mcpkit and the compile cache', () => {
  it(`writes compiled code to <tmpdir>/node-compile-cache (this Node ${supported ? 'has' : 'lacks'} the API)`, () => {
    const run = versionIn({});
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
    if (supported) expect(cached(run.dir).length).toBeGreaterThan(0);
    else expect(cached(run.dir)).toEqual([]);
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const run = versionIn({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
    expect(cached(run.dir)).toEqual([]);
  });
});
