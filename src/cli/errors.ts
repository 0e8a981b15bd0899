/** The command's errors and exit codes. */

/** Exit codes of `mcpkit`. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The server answered with an error, or a tool result with `isError`. */
  serverError: 1,
  /** The command line was wrong: bad arguments, an unknown tool, prompt or option. */
  usage: 2,
  /** The server could not be reached or started, or it went away. */
  connection: 3,
  /** The server needs authorization that could not be obtained: run `mcpkit login <url>`. */
  auth: 4,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** An error the command reports and exits with. */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: number;
  /** Further lines printed after the message (a schema, suggestions). */
  readonly details: string | undefined;

  constructor(message: string, exitCode: number, details?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** A mistake on the command line. */
export class UsageError extends CliError {
  constructor(message: string, details?: string) {
    super(message, ExitCode.usage, details);
    this.name = 'UsageError';
  }
}

/** The server could not be reached, started, or kept. */
export class ConnectionError extends CliError {
  constructor(message: string, details?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.connection, details, options);
    this.name = 'ConnectionError';
  }
}

/** The server needs authorization that the command could not obtain. */
export class AuthorizationError extends CliError {
  constructor(message: string, details?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.auth, details, options);
    this.name = 'AuthorizationError';
  }
}
