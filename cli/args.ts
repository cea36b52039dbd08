/**
 * Command-line parsing on node:util parseArgs, with the errors users need: an unknown flag or
 * command is named together with the valid ones, and every command has --help.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** One flag of a command. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** One line of help. */
  readonly help: string;
  /** Shown in help as the value's name, e.g. PATH. */
  readonly value?: string;
  /** May be given several times (string flags only). */
  readonly multiple?: boolean;
}

/** A command: its name, a summary, its flags and positional arguments. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Names of positional arguments, for help; more than these is an error. */
  readonly positionals?: readonly string[];
}

/** Parsed flags: string, string[] or boolean values, keyed by flag name. */
export type ParsedFlags = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

/** The result of parsing one command's arguments. */
export interface Parsed {
  readonly flags: ParsedFlags;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Renders the --help text of a command. */
export function helpText(program: string, spec: CommandSpec): string {
  const pos = (spec.positionals ?? []).map((p) => ` <${p}>`).join('');
  const rows = Object.entries(spec.flags).map(
    ([name, f]) => [`--${name}${f.value === undefined ? '' : ` ${f.value}`}`, f.help] as const,
  );
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: ${program} ${spec.name}${pos} [flags]`,
    '',
    spec.summary,
    '',
    'flags:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
  ].join('\n');
}

/**
 * Parses `argv` against `spec`.
 * @throws {UsageError} for an unknown flag (listing the valid ones), a missing value or an
 * unexpected positional argument.
 */
export function parseCommand(program: string, spec: CommandSpec, argv: readonly string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
  };
  for (const [name, f] of Object.entries(spec.flags)) {
    options[name] = f.multiple === true ? { type: f.type, multiple: true } : { type: f.type };
  }
  const valid = [...Object.keys(spec.flags), 'help'].map((n) => `--${n}`).join(', ');
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      throw new UsageError(
        `unknown flag ${unknown} for \`${program} ${spec.name}\``,
        `use one of: ${valid}`,
      );
    }
    throw new UsageError(
      `${message.split('\n')[0] ?? message} (\`${program} ${spec.name}\`)`,
      `see \`${program} ${spec.name} --help\``,
    );
  }
  const help = parsed.values.help === true;
  const allowed = spec.positionals?.length ?? 0;
  if (!help && parsed.positionals.length > allowed) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[allowed] ?? ''}" for \`${program} ${spec.name}\``,
      `see \`${program} ${spec.name} --help\``,
    );
  }
  return { flags: parsed.values, positionals: parsed.positionals, help };
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string flag's values, each also split on commas. */
export function listFlag(flags: ParsedFlags, name: string): string[] {
  const v = flags[name];
  const raw = Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
  return raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A positive number flag (e.g. --timeout-scale), or undefined when absent. */
export function numberFlag(flags: ParsedFlags, name: string): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(
      `--${name} must be a positive number, got "${v}"`,
      `pass e.g. --${name} 2`,
    );
  return n;
}

/** Checks that `value` is one of `choices`, naming them all otherwise. */
export function oneOf<T extends string>(what: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${what} "${value}"`, `use one of: ${choices.join(', ')}`);
}
