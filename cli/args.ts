/**
 * Command-line parsing on node:util parseArgs, with the errors users need: an unknown flag or
 * command is named together with the valid ones, and every command has -h/--help (with examples,
 * and the environment variables it reads). A negative number after a flag is that flag's value
 * (`--timeout-scale -1` is refused as a number, not as an unknown flag).
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
  /** Command lines shown in help, each with a comment. */
  readonly examples?: readonly string[];
  /** The environment variables the command reads, and what for. */
  readonly environment?: Readonly<Record<string, string>>;
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
  const rows: (readonly [string, string])[] = [
    ...Object.entries(spec.flags).map(
      ([name, f]) => [`--${name}${f.value === undefined ? '' : ` ${f.value}`}`, f.help] as const,
    ),
    ['-h, --help', 'show this help'],
  ];
  const table = (entries: readonly (readonly [string, string])[]): string[] => {
    const width = Math.max(...entries.map(([left]) => left.length));
    return entries.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  };
  const env = Object.entries(spec.environment ?? {});
  return [
    `usage: ${program} ${spec.name}${pos} [flags]`,
    '',
    spec.summary,
    '',
    'flags:',
    ...table(rows),
    ...(spec.examples === undefined
      ? []
      : ['', 'examples:', ...spec.examples.map((e) => `  ${e}`)]),
    ...(env.length === 0 ? [] : ['', 'environment:', ...table(env)]),
  ].join('\n');
}

/**
 * Parses `argv` against `spec`.
 * @throws {UsageError} for an unknown flag (listing the valid ones), a missing value or an
 * unexpected positional argument.
 */
export function parseCommand(program: string, spec: CommandSpec, argv: readonly string[]): Parsed {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(spec.flags)) {
    options[name] = f.multiple === true ? { type: f.type, multiple: true } : { type: f.type };
  }
  const valid = [...Object.keys(spec.flags), 'help'].map((n) => `--${n}`).join(', ');
  let parsed;
  try {
    parsed = parseArgs({
      args: withNegativeValues(argv, spec),
      options,
      allowPositionals: true,
      strict: true,
    });
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

/** `argv` with `--flag -1` written as `--flag=-1` for string flags, which parseArgs would refuse. */
function withNegativeValues(argv: readonly string[], spec: CommandSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const flag = spec.flags[arg.slice(2)];
    if (
      arg.startsWith('--') &&
      flag?.type === 'string' &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
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

/** Milliseconds per unit of a duration flag. */
const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A positive duration flag in ms ("90s", "30m", "1.5h"), or undefined when absent.
 * @throws {UsageError} for anything else, with an example.
 */
export function durationFlag(flags: ParsedFlags, name: string): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smh])$/.exec(v.trim());
  const ms = m === null ? 0 : Number(m[1]) * (durationUnits[m[2] ?? ''] ?? 0);
  if (ms <= 0)
    throw new UsageError(
      `--${name} must be a duration in seconds, minutes or hours, got "${v}"`,
      `pass e.g. --${name} 90s, --${name} 30m or --${name} 1.5h`,
    );
  return ms;
}

/** Checks that `value` is one of `choices`, naming them all otherwise. */
export function oneOf<T extends string>(what: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${what} "${value}"`, `use one of: ${choices.join(', ')}`);
}
