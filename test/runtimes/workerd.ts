/**
 * Serving the runtime test app on workerd: bundled by esbuild (with the `workerd` export condition, as
 * wrangler bundles) into a temporary directory with a workerd config that listens on a loopback port.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { binary, freePort, ROOT, type RuntimeServer, startServer } from './spawn.ts';

/** The compatibility date the Worker declares (no compatibility flags: no `nodejs_compat`). */
const COMPATIBILITY_DATE = '2025-09-01';

function config(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
}

/**
 * Bundles the Worker (`entry`, relative to the repository; a module whose default export has `fetch`)
 * and serves it with workerd; `stop()` also removes the temporary directory. With `asInstalled`, the
 * bundle ignores tsconfig.json's `paths`, so `mcpkit` resolves as an installed package does: through
 * package.json's exports, to the built dist/.
 */
export async function startWorkerd(
  entry = 'test/runtimes/worker.ts',
  asInstalled = false,
): Promise<RuntimeServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpkit-workerd-'));
  try {
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile: join(dir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
      ...(asInstalled ? { tsconfigRaw: '{}' } : {}),
      logLevel: 'silent',
    });
    const port = await freePort();
    await writeFile(join(dir, 'config.capnp'), config(port));
    const server = await startServer(binary('workerd'), ['serve', join(dir, 'config.capnp')], port, {
      cwd: dir,
    });
    return {
      ...server,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
