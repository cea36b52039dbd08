// The CI examples of docs/ci/ (a GitHub Actions workflow and a GitLab CI job) cannot be run
// here, so what can be checked without a CI system is checked: both parse as YAML; every npm
// script, netconform command and flag, and repository file their shell lines name exists; every
// report path they publish is one `netconform run` writes (reports/generate.ts), and all four are
// published (the single-file report, the site, junit.xml as the CI system's test report,
// summary.json), also when the run failed; nothing swallows the exit code; no host name appears.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadYaml } from '@kubernetes/client-node';
import { repoRoot } from '../clusters/paths.ts';
import { reportPaths } from '../reports/generate.ts';
import { parseCommand, type CommandSpec } from './args.ts';
import { cleanSpec } from './commands/clean.ts';
import { clusterSpec } from './commands/cluster.ts';
import { doctorSpec } from './commands/doctor.ts';
import { listSpec } from './commands/list.ts';
import { runSpec } from './commands/run.ts';
import { program } from './program.ts';

const specs: Record<string, CommandSpec> = {
  run: runSpec,
  cluster: clusterSpec,
  clean: cleanSpec,
  list: listSpec,
  doctor: doctorSpec,
};
const scripts = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

type Yaml = Record<string, unknown>;

/** Something that looks like a host name (a registry's or a package archive's, say). */
const hosts = /\b[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(io|com|org|net|dev|cloud|app|co)\b/gi;

function load(file: string): { text: string; yaml: Yaml } {
  const text = readFileSync(join(repoRoot, 'docs', 'ci', file), 'utf8');
  return { text, yaml: loadYaml<Yaml>(text) };
}

const github = load('github-actions.yml');
const gitlab = load('gitlab-ci.yml');

interface GithubStep {
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly 'continue-on-error'?: unknown;
}
type GithubJob = Record<string, unknown> & { steps?: GithubStep[] };
type GitlabJob = Record<string, unknown> & {
  script?: string[];
  before_script?: string[];
  after_script?: string[];
  artifacts?: { when?: string; paths?: string[]; reports?: { junit?: string } };
};

const githubJobs = Object.values(github.yaml.jobs as Record<string, GithubJob>);
const githubSteps = githubJobs.flatMap((j) => j.steps ?? []);
const gitlabJobs = Object.values(gitlab.yaml).filter(
  (v): v is GitlabJob => typeof v === 'object' && v !== null && 'script' in v,
);

/** Shell lines of a script, continuation lines joined. */
function shellLines(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const lines = {
  github: githubSteps.flatMap((s) => (s.run === undefined ? [] : shellLines(s.run))),
  gitlab: gitlabJobs.flatMap((j) =>
    [...(j.before_script ?? []), ...(j.script ?? []), ...(j.after_script ?? [])].flatMap(
      shellLines,
    ),
  ),
};

/** Problems with the npm, netconform and repository paths a shell line names. */
function commandProblems(line: string): string[] {
  const tokens = line.split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ''));
  const problems: string[] = [];
  const netconform = (args: string[]): void => {
    const [command = '', ...rest] = args;
    const spec = specs[command];
    if (spec === undefined) {
      problems.push(`${line}: no netconform command "${command}"`);
      return;
    }
    try {
      parseCommand(program, spec, rest);
    } catch (error) {
      problems.push(`${line}: ${String(error)}`);
    }
  };
  // npm as the command of the line, maybe behind sudo, env and variable assignments
  const npm = tokens.findIndex(
    (t, i) => t === 'npm' && tokens.slice(0, i).every((p) => /^(sudo|env|\w+=.*)$/.test(p)),
  );
  if (npm >= 0) {
    const [sub = '', name = '', ...rest] = tokens.slice(npm + 1);
    if (sub === 'run') {
      const script = scripts[name];
      if (script === undefined) problems.push(`${line}: no npm script "${name}"`);
      else if (script.startsWith('bin/netconform '))
        netconform([...script.split(' ').slice(1), ...rest.filter((t) => t !== '--')]);
    } else if (sub === 'test') {
      if (scripts.test === undefined) problems.push(`${line}: no npm test script`);
    } else if (sub !== 'ci') problems.push(`${line}: unexpected npm command "${sub}"`);
  }
  const direct = tokens.findIndex((t) => /(^|\/)bin\/netconform$/.test(t));
  if (direct >= 0) netconform(tokens.slice(direct + 1));
  for (const t of tokens) {
    if (
      /^(bin|cli|clusters|docs|helpers|scripts|suites)\/[\w./-]+$/.test(t) &&
      !existsSync(join(repoRoot, t))
    )
      problems.push(`${line}: no file ${t}`);
  }
  return problems;
}

/** Every string anywhere in a YAML document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

const written = Object.values(reportPaths(join('reports', 'out')));
const published = {
  single: join(reportPaths(join('reports', 'out')).single, 'index.html'),
  html: reportPaths(join('reports', 'out')).html,
  junit: reportPaths(join('reports', 'out')).junit,
  summary: reportPaths(join('reports', 'out')).summary,
};

/** The report paths a document names, trailing slashes dropped. */
function reportPathsIn(yaml: Yaml): string[] {
  return strings(yaml).flatMap((s) =>
    [...s.matchAll(/reports\/out\/[\w./-]*/g)].map((m) => m[0].replace(/\/+$/, '')),
  );
}

describe.each([
  ['GitHub Actions', github, lines.github],
  ['GitLab CI', gitlab, lines.gitlab],
])('the %s example', (_name, doc, shell) => {
  it('runs the main job, npm run conformance', () => {
    expect(shell.some((l) => /\bnpm run conformance\b/.test(l))).toBe(true);
  });

  it('names only npm scripts, netconform commands, flags and files that exist', () => {
    expect(shell.flatMap(commandProblems)).toEqual([]);
  });

  it('publishes only what `netconform run` writes, and all of it', () => {
    const paths = reportPathsIn(doc.yaml);
    expect(paths.filter((p) => !written.some((w) => p === w || p.startsWith(`${w}/`)))).toEqual([]);
    for (const p of Object.values(published)) expect(paths).toContain(p);
  });

  it('lets a failed run fail the pipeline (nothing ignores the exit code)', () => {
    expect(doc.text).not.toMatch(/continue-on-error:\s*true|allow_failure:\s*true|\|\|\s*true/);
    const run = shell.filter((l) => /\bnpm run conformance\b/.test(l));
    expect(run.length).toBe(1);
    expect(shell).toContain('exit $code');
  });

  it('names no host (registries and package archives are reached by their clients)', () => {
    expect([...doc.text.matchAll(hosts)].map((m) => m[0])).toEqual([]);
  });
});

describe('the GitHub Actions example', () => {
  it('pins every action to a major version', () => {
    const uses = githubSteps.flatMap((s) => (s.uses === undefined ? [] : [s.uses]));
    expect(uses.filter((u) => !/^[\w-]+\/[\w-]+@v\d+$/.test(u))).toEqual([]);
  });

  it('shows junit.xml as a test report and uploads the reports even when the run failed', () => {
    const junit = githubSteps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
    expect(junit?.with?.report_paths).toBe(published.junit);
    expect(junit?.if).toMatch(/always\(\)/);
    const upload = githubSteps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toMatch(/always\(\)/);
  });
});

describe('the GitLab CI example', () => {
  it('keeps the reports when the job failed and gives junit.xml to the pipeline', () => {
    const job = gitlabJobs.find((j) =>
      (j.script ?? []).some((s) => s.includes('npm run conformance')),
    );
    expect(job?.artifacts?.when).toBe('always');
    expect(job?.artifacts?.reports?.junit).toBe(published.junit);
  });
});

describe('docs/ci.md', () => {
  it('names no host either', () => {
    const text = readFileSync(join(repoRoot, 'docs', 'ci.md'), 'utf8');
    expect([...text.matchAll(hosts)].map((m) => m[0])).toEqual([]);
  });
});
