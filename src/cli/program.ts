/** The `mcpkit` command line: its commands and options (commander), and how each one runs. */
import { Command, CommanderError, Option } from 'commander';
import { bridgeCommand } from './commands/bridge.ts';
import { callCommand } from './commands/call.ts';
import { completeCommand } from './commands/complete.ts';
import { completionScript } from './commands/completion.ts';
import { infoCommand } from './commands/info.ts';
import { type InspectOptions, inspectCommand } from './commands/inspect.ts';
import { type ListKind, listCommand } from './commands/lists.ts';
import { type LoginOptions, loginCommand, logoutCommand } from './commands/login.ts';
import { proxyCommand } from './commands/proxy.ts';
import { promptCommand, readCommand } from './commands/read-prompt.ts';
import { type ServeOptions, serveCommand } from './commands/serve.ts';
import { CliError, ExitCode } from './errors.ts';
import type { ClientOptions } from './session.ts';
import { Terminal } from './terminal.ts';
import { VERSION } from './version.ts';

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * Adds the options that say which server to reach: a child process (--stdio, its environment and
 * folder) or a URL (headers, transport). `upstream`: the server a bridge or proxy stands in front of.
 */
function serverOptions(command: Command, role: 'client' | 'upstream'): Command {
  const client = role === 'client';
  return command
    .option(
      '--stdio <command>',
      client
        ? 'run the server as a child process and talk over its stdin/stdout'
        : 'the server to run as a child process',
    )
    .option('-e, --env <KEY=VALUE>', 'environment variable for the --stdio server (repeatable)', repeat)
    .option('--cwd <dir>', 'working directory of the --stdio server')
    .option(
      '-H, --header <Name: value>',
      `HTTP header for every request${client ? '' : ' to <url>'} (repeatable)`,
      repeat,
    )
    .addOption(
      new Option('--transport <kind>', client ? 'HTTP transport' : 'HTTP transport to <url>')
        .choices(['auto', 'streamable-http', 'sse'])
        .default('auto'),
    );
}

/** Adds --era and --protocol-version. */
function eraOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--era <era>', 'protocol era to speak')
        .choices(['auto', 'modern', 'legacy'])
        .default('auto'),
    )
    .option('--protocol-version <revision>', 'ask for this stateful revision (implies --era legacy)');
}

/** Adds the options every command that talks to a server takes. */
function clientOptions(command: Command): Command {
  return eraOptions(serverOptions(command, 'client'))
    .option('--json', 'print raw JSON results')
    .option('--no-input', 'refuse sampling and elicitation requests instead of asking at the terminal')
    .option('--root <dir>', 'offer a directory as a root (repeatable)', repeat)
    .option('--timeout <ms>', 'time without an answer or progress before a request fails', '60000')
    .option('--log-level <level>', "least severe server log level to show ('none': do not ask)", 'info')
    .option('-q, --quiet', 'show neither progress nor log messages')
    .option('-v, --verbose', "show the --stdio server's stderr and connection details");
}

type Runner = (words: string[], options: ClientOptions, term: Terminal) => Promise<number>;

/** Builds the program; `done` receives each command's exit code. */
export function buildProgram(term: Terminal, done: (code: number) => void): Command {
  const program = new Command('mcpkit')
    .description('Talk to any MCP server, of any revision, over HTTP or stdio; serve and bridge MCP.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const run = (runner: Runner) => async (words: string[] | string | undefined, options: ClientOptions) => {
    const list = Array.isArray(words) ? words : words === undefined ? [] : [words];
    done(await runner(list, options, term));
  };
  const client = (name: string, args: string, description: string, runner: Runner, examples: string) =>
    clientOptions(program.command(name))
      .argument(args)
      .description(description)
      .addHelpText('after', `\nExamples:\n${examples}`)
      .action(run(runner));

  client(
    'info',
    '[target]',
    'show the server: name, version, revision and era, capabilities, instructions',
    infoCommand,
    '  mcpkit info http://127.0.0.1:3000/mcp\n  mcpkit info --stdio "npx -y @modelcontextprotocol/server-everything"',
  );
  const lists: Array<[ListKind, string]> = [
    ['tools', 'list the tools'],
    ['resources', 'list the resources'],
    ['templates', 'list the resource templates'],
    ['prompts', 'list the prompts'],
  ];
  for (const [kind, description] of lists) {
    client(
      kind,
      '[target]',
      description,
      (words, options, t) => listCommand(kind, words, options, t),
      `  mcpkit ${kind} http://127.0.0.1:3000/mcp\n  mcpkit ${kind} --json --stdio "node server.js"`,
    );
  }
  client(
    'call',
    '<words...>',
    'call a tool: <target> <tool> [<json> | key=value ...]',
    callCommand,
    '  mcpkit call http://127.0.0.1:3000/mcp echo message=hello\n  mcpkit call --stdio "node server.js" add \'{"a": 1, "b": 2}\'\n  mcpkit call URL tool tags:=\'["a","b"]\'   (key:=<json> gives a JSON value)',
  );
  client(
    'read',
    '<words...>',
    'read a resource: <target> <uri>',
    readCommand,
    '  mcpkit read http://127.0.0.1:3000/mcp test://static-text',
  );
  client(
    'prompt',
    '<words...>',
    'get a prompt: <target> <name> [key=value ...]',
    promptCommand,
    '  mcpkit prompt http://127.0.0.1:3000/mcp test_prompt_with_arguments arg1=a arg2=b',
  );
  client(
    'complete',
    '<words...>',
    'complete an argument: <target> prompt:<name>|resource:<template> <arg>=<partial> [name=value ...]',
    completeCommand,
    "  mcpkit complete URL prompt:test_prompt_with_arguments arg1=te\n  mcpkit complete URL 'resource:test://template/{id}/data' id=1",
  );

  program
    .command('serve')
    .description('serve the reference server over stdio (default) or Streamable HTTP (--port)')
    .option('--stdio', 'serve on stdin/stdout (the default)')
    .option('-p, --port <port>', 'serve Streamable HTTP (and HTTP+SSE) on 127.0.0.1:<port>/mcp')
    .option('--host <host>', 'address to listen on with --port', '127.0.0.1')
    .option('--auth', 'require OAuth access tokens (with --port)')
    .option(
      '--issuer <url>',
      'the authorization server for --auth (default: a development one, started in this process)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mcpkit serve\n  mcpkit serve --port 3000\n  mcpkit serve --port 3000 --auth',
    )
    .action(async (options: ServeOptions) => {
      done(await serveCommand(options, term));
    });

  program
    .command('login')
    .argument('<url>', 'the MCP server')
    .description('log in to a server with OAuth in the browser; later commands use the stored tokens')
    .option('--scope <scopes>', "the scopes to ask for (space-separated) instead of the server's choice")
    .option('--no-browser', 'only print the authorization URL; do not start a browser')
    .addOption(
      new Option('--transport <kind>', 'HTTP transport')
        .choices(['auto', 'streamable-http', 'sse'])
        .default('auto'),
    )
    .option('--timeout <ms>', 'time without an answer before a request fails', '60000')
    .option('-v, --verbose', 'show connection details')
    .addHelpText(
      'after',
      '\nTokens are kept in $MCPKIT_CONFIG_DIR/tokens.json (default directory: $XDG_CONFIG_HOME/mcpkit or\n~/.config/mcpkit), readable only by you.\n\nExamples:\n  mcpkit login https://example.com/mcp\n  mcpkit login --no-browser --scope "mcp:read mcp:write" http://localhost:3000/mcp',
    )
    .action(async (url: string, options: LoginOptions) => {
      done(await loginCommand(url, options, term));
    });

  program
    .command('logout')
    .argument('[url]', 'the MCP server (default: every server)')
    .description('forget the stored tokens of a server, or of every server')
    .addHelpText('after', '\nExamples:\n  mcpkit logout https://example.com/mcp\n  mcpkit logout')
    .action(async (url: string | undefined) => {
      done(await logoutCommand(url, term));
    });

  serverOptions(program.command('bridge'), 'upstream')
    .argument('[url]', 'the remote server (instead of --stdio)')
    .description('join two ends: serve a --stdio server over HTTP (--port), or a URL to a stdio client')
    .option('-p, --port <port>', 'serve on 127.0.0.1:<port>/mcp instead of stdin/stdout')
    .option('--host <host>', 'address to listen on with --port', '127.0.0.1')
    .option('--no-browser', 'when <url> asks for a login, only print the authorization URL on stderr')
    .option('-v, --verbose', 'report sessions and the translation chosen on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  mcpkit bridge --stdio "npx -y @modelcontextprotocol/server-everything" --port 3001\n  mcpkit bridge https://example.com/mcp        (for a client that only speaks stdio)',
    )
    .action(async (url: string | undefined, options: Record<string, unknown>) => {
      done(await bridgeCommand(url, options, term));
    });
  eraOptions(serverOptions(program.command('inspect'), 'client'))
    .argument('[url]', 'the MCP server (or --stdio; or none, to choose in the page)')
    .description('inspect a server in the browser: tools, resources, prompts, every message both ways')
    .option('--root <dir>', 'offer a directory as a root (repeatable; editable in the page)', repeat)
    .option('--timeout <ms>', 'time without an answer or progress before a request fails', '60000')
    .option('-p, --port <port>', 'serve the page on 127.0.0.1:<port> (default: a free port)', '0')
    .option('--no-open', 'only print the address; do not start a browser')
    .addHelpText(
      'after',
      '\nExamples:\n  mcpkit inspect http://127.0.0.1:3000/mcp\n  mcpkit inspect --stdio "npx -y @modelcontextprotocol/server-everything"\n  mcpkit inspect --no-open        (choose the server in the page)',
    )
    .action(async (url: string | undefined, options: InspectOptions) => {
      done(await inspectCommand(url, options, term));
    });
  serverOptions(program.command('proxy'), 'upstream')
    .argument('[url]', 'the remote server (instead of --stdio)')
    .description('serve any server as if it were local, in every revision, on stdin/stdout or HTTP (--port)')
    .option('-p, --port <port>', 'serve on 127.0.0.1:<port>/mcp instead of stdin/stdout')
    .option('--host <host>', 'address to listen on with --port', '127.0.0.1')
    .option('--hide <tool>', 'leave a tool out (repeatable)', repeat)
    .option('-v, --verbose', 'report problems with the upstream on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  mcpkit proxy --stdio "npx -y @modelcontextprotocol/server-everything" --port 3001\n  mcpkit proxy http://127.0.0.1:3000/mcp --hide get-env     (serves it on stdin/stdout)',
    )
    .action(async (url: string | undefined, options: Record<string, unknown>) => {
      done(await proxyCommand(url, options, term));
    });

  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('print a shell completion script for mcpkit (bash, zsh or fish)')
    .addHelpText(
      'after',
      '\nExamples:\n  source <(mcpkit completion bash)     (in ~/.bashrc)\n  source <(mcpkit completion zsh)      (in ~/.zshrc, after compinit)\n  mcpkit completion fish > ~/.config/fish/completions/mcpkit.fish',
    )
    .action((shell: string) => {
      term.print(completionScript(shell, program).trimEnd());
      done(0);
    });

  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], term = new Terminal()): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(term, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv as string[]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? ExitCode.ok
        : ExitCode.usage;
    }
    reportError(term, error);
    return error instanceof CliError ? error.exitCode : ExitCode.serverError;
  } finally {
    term.close();
  }
}

/** Prints an error on stderr. */
export function reportError(term: Terminal, error: unknown): void {
  const c = term.err;
  const message = error instanceof Error ? error.message : String(error);
  term.note(`${c.red(c.bold('mcpkit:'))} ${message}`);
  if (error instanceof CliError && error.details) term.note(error.details);
}
