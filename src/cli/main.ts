#!/usr/bin/env node
/** The `mcpkit` command: runs the command line, then exits with its code once stdout is flushed. */
import { main } from './program.ts';

process.on('SIGINT', () => process.exit(130));
const code = await main(process.argv);
process.stdout.write('', () => process.exit(code));
