/**
 * `netconform version` (also `--version`, `-V`): the tool's version (package.json), the commit it
 * was built from, and the Kubernetes version its kind clusters pin (clusters/versions.env).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../clusters/paths.ts';
import { kubernetesVersion } from '../../clusters/versions.ts';
import { ExitCode } from '../../helpers/errors.ts';
import { runHost } from '../../helpers/shell.ts';

/** Written into the package by `npm pack` (the prepack script of package.json). */
export const buildInfoFile = 'build-info.json';

/**
 * The commit `root` was built from: `git rev-parse --short HEAD` in a git checkout, else the
 * commit recorded in build-info.json when the package was packed, else "unknown".
 */
export async function buildCommit(root: string): Promise<string> {
  if (existsSync(join(root, '.git'))) {
    const git = await runHost(['git', 'rev-parse', '--short', 'HEAD'], {
      cwd: root,
      timeoutMs: 5000,
    });
    return git.exitCode === 0 ? git.stdout.trim() : 'unknown';
  }
  try {
    const info = JSON.parse(readFileSync(join(root, buildInfoFile), 'utf8')) as {
      commit?: unknown;
    };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The lines `version` prints. */
export async function versionLines(root = repoRoot): Promise<string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return [
    `kube-netconform ${pkg.version}`,
    `commit ${await buildCommit(root)}`,
    `kubernetes ${kubernetesVersion()} (pinned for kind clusters in clusters/versions.env)`,
  ];
}

/** Runs `version`; returns the exit code. */
export async function versionCommand(): Promise<number> {
  console.log((await versionLines()).join('\n'));
  return ExitCode.Passed;
}
