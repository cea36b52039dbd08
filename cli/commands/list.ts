/**
 * `netconform list`: every area and its checks, one line each, read from the check modules (no
 * cluster needed). The ids are what `run --suites/--skip` accept besides area names.
 */
import { ExitCode } from '../../helpers/errors.ts';
import { helpText, parseCommand, type CommandSpec } from '../args.ts';
import { checkCatalog, type CheckInfo } from '../checks-catalog.ts';
import { program } from '../program.ts';

/** Flags of `list`. */
export const listSpec: CommandSpec = {
  name: 'list',
  summary: `List the areas and their checks, one line each: an area with its number of checks, then each check as <id>: <sentence>. \`${program} run --suites\` and \`--skip\` accept areas and check ids.`,
  flags: {
    ids: { type: 'boolean', help: 'print only the check ids, one a line' },
  },
  examples: [`${program} list`, `${program} list --ids | grep ^dns/`],
};

/** The lines `list` prints for `checks` (sorted by id). */
export function renderList(checks: readonly CheckInfo[]): string[] {
  const lines: string[] = [];
  let area: string | undefined;
  for (const c of checks) {
    if (c.area !== area) {
      area = c.area;
      const n = checks.filter((x) => x.area === area).length;
      lines.push(`${area} (${n} check${n === 1 ? '' : 's'})`);
    }
    lines.push(`  ${c.id}: ${c.title}`);
  }
  return lines;
}

/** Runs `list`; returns the exit code. */
export async function listCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(program, listSpec, argv);
  if (parsed.help) {
    console.log(helpText(program, listSpec));
    return ExitCode.Passed;
  }
  const checks = await checkCatalog();
  const lines = parsed.flags.ids === true ? checks.map((c) => c.id) : renderList(checks);
  console.log(lines.join('\n'));
  return ExitCode.Passed;
}
