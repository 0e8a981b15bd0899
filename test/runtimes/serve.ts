/**
 * Serves the runtime test app with the runtime's own HTTP server: `bun serve.ts PORT` or
 * `deno run --allow-net serve.ts PORT`, on 127.0.0.1.
 */
import { route } from './app.ts';

interface BunRuntime {
  argv: string[];
  serve(options: { port: number; hostname: string; fetch(request: Request): Promise<Response> }): unknown;
}
interface DenoRuntime {
  args: string[];
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
}

const runtime = globalThis as { Bun?: BunRuntime; Deno?: DenoRuntime };
const hostname = '127.0.0.1';
if (runtime.Bun) {
  runtime.Bun.serve({ port: Number(runtime.Bun.argv[2]), hostname, fetch: route });
} else if (runtime.Deno) {
  runtime.Deno.serve({ port: Number(runtime.Deno.args[0]), hostname }, route);
} else {
  throw new Error('serve.ts runs under Bun or Deno; Node serves the app with serveHttp from mcpkit/node.');
}
