#!/usr/bin/env node
/**
 * The `mcpkit` command: runs the command line, then exits with its code once stdout is flushed.
 * On Node 22.1 and later it first turns on Node's compile cache (as npm and tsc do), so that a
 * second run reads compiled code instead of compiling it again; NODE_DISABLE_COMPILE_CACHE=1 turns
 * it off. The rest of the command is imported after that, so that it is cached too.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import('./program.ts');

process.on('SIGINT', () => process.exit(130));
const code = await main(process.argv);
process.stdout.write('', () => process.exit(code));
