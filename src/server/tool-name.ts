/**
 * The spec's tool-name rules (2025-11-25, server/tools, "Tool Names"): 1–128 characters, only A–Z a–z
 * 0–9 `_` `-` `.`. Every rule there is a SHOULD, so a name that breaks one is registered with a warning.
 */

const ALLOWED = /^[A-Za-z0-9_.-]*$/;

/** Where the rules are written. */
const RULE = 'MCP 2025-11-25 server/tools "Tool Names"';

/**
 * The spec's tool-name rules that `name` breaks, each as a sentence saying what to do; empty when it
 * follows them all.
 */
export function toolNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) problems.push('it is empty; tool names SHOULD be 1 to 128 characters long');
  if (name.length > 128) {
    problems.push(`it is ${name.length} characters long; tool names SHOULD be at most 128 characters`);
  }
  if (!ALLOWED.test(name)) {
    const bad = [...new Set([...name].filter((c) => !ALLOWED.test(c)))]
      .map((c) => (c === ' ' ? 'space' : JSON.stringify(c)))
      .join(', ');
    problems.push(
      `it contains ${bad}; tool names SHOULD use only A-Z, a-z, 0-9, underscore, hyphen and dot ` +
        '(e.g. "get_weather" rather than "get weather")',
    );
  }
  return problems.map((p) => `Tool name ${JSON.stringify(name)}: ${p} (${RULE}).`);
}
