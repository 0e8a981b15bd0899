/**
 * `mcpkit completion bash|zsh|fish`: a completion script for the shell, generated from the command
 * line's own definition (commands, their options, the values an option accepts), so it never falls
 * behind. Install it with `source <(mcpkit completion bash)` (bash, zsh) or
 * `mcpkit completion fish | source`, or save it where the shell looks for completions.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';

/** The shells a script can be made for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;

/** One option of a command, as completion needs it. */
export interface OptionSpec {
  long: string | undefined;
  short: string | undefined;
  description: string;
  /** It takes a value (`--port <port>`). */
  takesValue: boolean;
  /** The values it accepts, when fixed. */
  choices: readonly string[] | undefined;
}

/** One command, as completion needs it. */
export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
}

/** The commands of a commander program and their options. */
export function commandSpecs(program: Command): CommandSpec[] {
  return program.commands.map((command) => ({
    name: command.name(),
    description: command.description(),
    options: [
      ...command.options.map((o) => ({
        long: o.long,
        short: o.short,
        description: o.description,
        takesValue: o.required || o.optional,
        choices: o.argChoices,
      })),
      { long: '--help', short: '-h', description: 'show help', takesValue: false, choices: undefined },
    ],
  }));
}

const flags = (o: OptionSpec) => [o.long, o.short].filter((f): f is string => f !== undefined);
const quoteSingle = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

function bash(specs: readonly CommandSpec[]): string {
  const cases = specs.map((c) => {
    const opts = c.options.flatMap(flags).join(' ');
    const values = c.options
      .filter((o) => o.choices)
      .map((o) => `        ${flags(o).join('|')}) values=${quoteSingle((o.choices ?? []).join(' '))} ;;`);
    const withValue = c.options.filter((o) => o.takesValue && !o.choices).flatMap(flags);
    const free = withValue.length > 0 ? [`        ${withValue.join('|')}) return ;;`] : [];
    return [
      `    ${c.name})`,
      `      opts=${quoteSingle(opts)}`,
      '      case "$prev" in',
      ...values,
      ...free,
      '      esac',
      '      ;;',
    ].join('\n');
  });
  return `# bash completion for mcpkit (mcpkit completion bash)
_mcpkit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts="" values=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W ${quoteSingle(`${specs.map((c) => c.name).join(' ')} --help --version`)} -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  if [[ -n $values ]]; then
    COMPREPLY=( $(compgen -W "$values" -- "$cur") )
  elif [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  fi
}
complete -o default -F _mcpkit mcpkit
`;
}

const zshEscape = (text: string) =>
  text.replaceAll("'", "'\\''").replaceAll('[', '\\[').replaceAll(']', '\\]');

function zshOption(o: OptionSpec): string {
  const value = o.takesValue ? `:value:${o.choices ? `(${o.choices.join(' ')})` : ''}` : '';
  const names = flags(o);
  const spec = (name: string) => `'${name}[${zshEscape(o.description)}]${value}'`;
  if (names.length === 1) return spec(names[0] as string);
  return `'(${names.join(' ')})'{${names.join(',')}}'[${zshEscape(o.description)}]${value}'`;
}

function zsh(specs: readonly CommandSpec[]): string {
  const commands = specs.map((c) => `    '${c.name}:${zshEscape(c.description).replaceAll(':', '\\:')}'`);
  const cases = specs.map(
    (c) =>
      `    ${c.name})\n      _arguments -s ${c.options.map(zshOption).join(' ')} '*:argument:_default' ;;`,
  );
  return `#compdef mcpkit
# zsh completion for mcpkit (mcpkit completion zsh)
_mcpkit() {
  local -a commands
  commands=(
${commands.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'mcpkit command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases.join('\n')}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _mcpkit "$@"
else
  compdef _mcpkit mcpkit
fi
`;
}

const fishEscape = (text: string) => text.replaceAll('\\', '\\\\').replaceAll("'", "\\'");

function fish(specs: readonly CommandSpec[]): string {
  const lines = [
    '# fish completion for mcpkit (mcpkit completion fish)',
    'complete -c mcpkit -f',
    ...specs.map(
      (c) => `complete -c mcpkit -n __fish_use_subcommand -a ${c.name} -d '${fishEscape(c.description)}'`,
    ),
  ];
  for (const c of specs) {
    for (const o of c.options) {
      const parts = [`complete -c mcpkit -n '__fish_seen_subcommand_from ${c.name}'`];
      if (o.long) parts.push(`-l ${o.long.slice(2)}`);
      if (o.short) parts.push(`-s ${o.short.slice(1)}`);
      if (o.choices) parts.push(`-x -a '${o.choices.join(' ')}'`);
      else if (o.takesValue) parts.push('-r');
      parts.push(`-d '${fishEscape(o.description)}'`);
      lines.push(parts.join(' '));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The completion script of `program` for `shell`. */
export function completionScript(shell: string, program: Command): string {
  const specs = commandSpecs(program);
  if (shell === 'bash') return bash(specs);
  if (shell === 'zsh') return zsh(specs);
  if (shell === 'fish') return fish(specs);
  throw new UsageError(`mcpkit completion takes one of ${COMPLETION_SHELLS.join(', ')}, not '${shell}'.`);
}
