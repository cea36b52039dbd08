/**
 * The report directory of a run (`--report-dir`), and what the tool may do in it: it removes only
 * what it wrote itself. A directory it writes reports into gets a marker file ({@link reportMarker}:
 * the tool's name and the marker's format version); the previous run's results are replaced only in
 * a directory with that marker, in an empty or new one, or under the project's own git-ignored
 * output tree reports/out/ (the default directory, and where the project's scripts put theirs).
 * A non-empty directory without the marker, an existing file, and a path that cannot be written (a
 * kernel pseudo-filesystem, a read-only place, a parent that is a file) are refused as set-up errors
 * (exit 2) before anything is touched.
 *
 * Only bounded calls touch the path: Node's recursive mkdir never returns under /proc (mkdir there
 * answers ENOENT, and it retries the parent forever), so missing directories are made one level at
 * a time, and writability is asked of the nearest existing directory with access(2).
 */
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../clusters/paths.ts';
import { messageOf, SetupError } from '../helpers/errors.ts';

/** The file that marks a directory as one this tool writes reports into. */
export const reportMarker = '.netconform-report';

/** The marker's content; `version` is the format of the marker. */
const marker = { tool: 'kube-netconform', version: 1 } as const;

/** The project's own output tree (git-ignored): every directory under it is the tool's. */
export const ownOutputTree = join(repoRoot, 'reports', 'out');

/** Kernel pseudo-filesystems: nothing can be written there, and mkdir may misbehave. */
const pseudoFilesystems = ['/proc', '/sys'];

const fix =
  'pass --report-dir a new or empty directory, or one an earlier `netconform run` wrote (default: reports/out)';

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? messageOf(error);
}

/** The nearest existing ancestor of `path` (or `path` itself) and the names missing below it. */
function locate(path: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    try {
      statSync(p);
      return { existing: p, missing };
    } catch (error) {
      const code = errnoOf(error);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p)
        throw new SetupError(`--report-dir ${path} cannot be used: ${p}: ${code}`, fix);
      missing.unshift(basename(p));
    }
  }
}

/** Whether `path` is `tree` or inside it. */
function within(tree: string, path: string): boolean {
  const rel = relative(tree, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Whether `dir` holds this tool's marker. */
function hasMarker(dir: string): boolean {
  try {
    const content = JSON.parse(readFileSync(join(dir, reportMarker), 'utf8')) as { tool?: unknown };
    return content.tool === marker.tool;
  } catch {
    return false;
  }
}

/**
 * Checks that reports may be written to `dir` and the previous ones replaced there; writes nothing.
 * Returns the names of the directories that are missing and would be made.
 * @throws {SetupError} for a file, an unwritable path, or a non-empty directory without the marker
 * (outside `ownTree`).
 */
export function checkReportDir(dir: string, ownTree: string = ownOutputTree): string[] {
  const path = resolve(dir);
  const { existing, missing } = locate(path);
  const real = join(realpathSync(existing), ...missing);
  const pseudo = pseudoFilesystems.find((p) => within(p, real));
  if (pseudo !== undefined)
    throw new SetupError(
      `--report-dir ${path} is on the kernel's ${pseudo} filesystem, where no report can be written`,
      fix,
    );
  if (!statSync(existing).isDirectory())
    throw new SetupError(
      missing.length === 0
        ? `--report-dir ${path} is a file, not a directory`
        : `--report-dir ${path} cannot be made: ${existing} is a file`,
      fix,
    );
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    throw new SetupError(
      `--report-dir ${path} cannot be written: ${existing} is not writable (${errnoOf(error)})`,
      fix,
    );
  }
  if (missing.length > 0 || hasMarker(path)) return missing;
  const tree = (() => {
    try {
      return realpathSync(ownTree);
    } catch {
      return resolve(ownTree);
    }
  })();
  if (within(tree, real)) return missing;
  const entries = readdirSync(path);
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new SetupError(
      `--report-dir ${path} is no report directory of kube-netconform: it holds files the tool did not write (${shown}) and no ${reportMarker} marker`,
      `pass --report-dir a new or empty directory (e.g. ${join(path, 'netconform-reports')}), or one an earlier \`netconform run\` wrote; the tool deletes nothing it did not write`,
    );
  }
  return missing;
}

/**
 * Makes `dir` the tool's: checks it again ({@link checkReportDir}), makes the missing directories
 * one level at a time and writes the marker.
 * @throws {SetupError} as checkReportDir does, or when a directory or the marker cannot be written.
 */
export function claimReportDir(dir: string, ownTree: string = ownOutputTree): void {
  const path = resolve(dir);
  const missing = checkReportDir(path, ownTree);
  try {
    let p = missing.reduce((below) => dirname(below), path);
    for (const name of missing) {
      p = join(p, name);
      mkdirSync(p);
    }
    writeFileSync(join(path, reportMarker), `${JSON.stringify(marker)}\n`);
  } catch (error) {
    throw new SetupError(`--report-dir ${path} cannot be written: ${messageOf(error)}`, fix);
  }
}
