/**
 * `mcpkit completion bash|zsh|fish`, loaded into the real shells (Debian's bash, zsh and fish): the
 * commands, a command's options and an option's values complete. zsh is driven through a pseudo
 * terminal (zpty), as a user pressing Tab.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './fixtures/cli-process.ts';

const exec = promisify(execFile);

/** Runs a shell; a shell that is not installed fails the test saying what to install. */
async function run(shell: string, args: string[], options: { timeout?: number } = {}) {
  try {
    return await exec(shell, args, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${shell} is not installed: apt-get install -y ${shell} (.ci/run installs it when missing).`,
      );
    }
    throw error;
  }
}
const scripts: Record<string, string> = {};

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpkit-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = join(dir, `mcpkit.${shell}`);
    await writeFile(scripts[shell] as string, result.stdout);
  }
});

/** What bash's completion function offers for the words typed so far (the last one being completed). */
async function bash(...words: string[]): Promise<string[]> {
  const script = `source ${scripts.bash}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _mcpkit; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['-c', script]);
  return stdout.split('\n').filter(Boolean).sort();
}

/** What fish offers for a command line (`complete -C`), without descriptions. */
async function fish(line: string): Promise<string[]> {
  const { stdout } = await run('fish', ['-c', `source ${scripts.fish}; complete -C '${line}'`]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0] as string)
    .sort();
}

/** The line zsh shows after typing `typed` and pressing Tab, in an interactive zsh on a pseudo terminal. */
async function zshTab(typed: string, expect: string): Promise<string> {
  const script = [
    'zmodload zsh/zpty',
    'zpty z zsh -f -i',
    `zpty -w z 'autoload -U compinit; compinit -u -D; source ${scripts.zsh}; PROMPT="ready> "'`,
    "zpty -r -m z out '*ready> *'",
    `zpty -w -n z $'${typed}\\t'`,
    `zpty -r -m z out '*${expect}*'`,
    'print -r -- $out',
    'zpty -d z',
  ].join('\n');
  const { stdout } = await run('zsh', ['-f', '-c', script], { timeout: 10_000 });
  return stdout;
}

describe('mcpkit completion', () => {
  it('bash: commands, options and option values', async () => {
    expect(await bash('mcpkit', 'to')).toEqual(['tools']);
    expect(await bash('mcpkit', 'call', '--tr')).toEqual(['--transport']);
    expect(await bash('mcpkit', 'call', '--transport', 's')).toEqual(['sse', 'streamable-http']);
    expect(await bash('mcpkit', 'serve', '--')).toContain('--port');
    expect(await bash('mcpkit', 'serve', '--')).not.toContain('--transport');
  });

  it('fish: commands, options and option values', async () => {
    expect(await fish('mcpkit to')).toEqual(['tools']);
    expect(await fish('mcpkit call --tr')).toEqual(['--transport']);
    expect(await fish('mcpkit call --transport ')).toEqual(['auto', 'sse', 'streamable-http']);
    expect(await fish('mcpkit inspect --')).toContain('--no-open');
  });

  it('zsh: Tab completes a command, an option and a value', async () => {
    expect(await zshTab('mcpkit insp', 'mcpkit inspect')).toContain('mcpkit inspect');
    expect(await zshTab('mcpkit call --tran', 'call --transport')).toContain('mcpkit call --transport');
    expect(await zshTab('mcpkit call --era mo', 'modern')).toContain('mcpkit call --era modern');
  });

  it('refuses another shell with the list of those it knows', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/takes one of bash, zsh, fish, not 'tcsh'/);
  });
});
