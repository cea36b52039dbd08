/**
 * The netconform command line: `run`, `cluster`, `clean`, `list`, `doctor`, `version`. Exit codes:
 * 0 every applicable check passed, 1 a check failed, 2 a usage or set-up error (the message names
 * the fix).
 */
import { ExitCode, messageOf, SetupError } from '../helpers/errors.ts';
import { cleanCommand } from './commands/clean.ts';
import { clusterCommand } from './commands/cluster.ts';
import { doctorCommand } from './commands/doctor.ts';
import { listCommand } from './commands/list.ts';
import { runCommand } from './commands/run.ts';
import { versionCommand } from './commands/version.ts';
import { program } from './program.ts';
import { UsageError } from './usage-error.ts';

const commands: Record<
  string,
  { summary: string; run: (argv: readonly string[]) => Promise<number> }
> = {
  run: { summary: 'run the conformance suites against a cluster', run: runCommand },
  cluster: { summary: 'create, delete or list kind clusters (up|down|list)', run: clusterCommand },
  clean: { summary: 'remove what earlier runs left behind, by label', run: cleanCommand },
  list: { summary: 'list the areas and their checks (ids for --suites/--skip)', run: listCommand },
  doctor: {
    summary: 'check this machine for what runs need, and say what to fix',
    run: doctorCommand,
  },
  version: {
    summary: 'print the version, the commit and the pinned Kubernetes version (also --version, -V)',
    run: versionCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    `usage: ${program} <command> [flags]`,
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'examples:',
    `  ${program} run                          # a new kind cluster (iptables), every suite`,
    `  ${program} run --context my-cluster     # an existing cluster`,
    `  ${program} run --help`,
    '',
    `\`${program} <command> --help\` (or -h) shows a command's flags, examples and environment.`,
  ].join('\n');
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(usage());
      return name === undefined ? ExitCode.SetupError : ExitCode.Passed;
    }
    const command = commands[name === '--version' || name === '-V' ? 'version' : name];
    if (command === undefined) {
      throw new UsageError(
        `unknown command "${name}"`,
        `use one of: ${Object.keys(commands).join(', ')}`,
      );
    }
    return await command.run(rest);
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(error.render());
      return ExitCode.SetupError;
    }
    console.error(`error: ${messageOf(error)}`);
    if (error instanceof Error && error.stack !== undefined && process.env.KNC_DEBUG === '1')
      console.error(error.stack);
    return ExitCode.SetupError;
  }
}

process.exitCode = await main(process.argv.slice(2));
