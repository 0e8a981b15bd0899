import { describe, expect, it } from 'vitest';
import { parseCommandLine, splitWords } from './command-line.ts';
import { UsageError } from './errors.ts';
import { closestNames } from './suggest.ts';

describe('splitWords (the --stdio command line)', () => {
  it('splits like sh: quotes group, backslashes escape, nothing is expanded', () => {
    expect(splitWords(`node  server.js --name 'two words' "say \\"hi\\"" a\\ b $HOME ''`)).toEqual([
      'node',
      'server.js',
      '--name',
      'two words',
      'say "hi"',
      'a b',
      '$HOME',
      '',
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitWords(`node 'oops`)).toThrow(UsageError);
  });

  it('takes leading NAME=value words as environment variables', () => {
    expect(parseCommandLine('API_KEY=abc DEBUG= npx -y server')).toEqual({
      command: 'npx',
      args: ['-y', 'server'],
      env: { API_KEY: 'abc', DEBUG: '' },
    });
    expect(() => parseCommandLine('A=1')).toThrow('--stdio needs a command to run');
  });
});

describe('closestNames', () => {
  it('finds typos and substrings, closest first', () => {
    const names = ['get-sum', 'get-env', 'echo', 'trigger-sampling-request'];
    expect(closestNames('get-summ', names)).toEqual(['get-sum']);
    expect(closestNames('get-snv', names)).toEqual(['get-env', 'get-sum']);
    expect(closestNames('sampling', names)).toEqual(['trigger-sampling-request']);
    expect(closestNames('zzz', names)).toEqual([]);
  });
});
