/**
 * The run description: what one run was asked to do and what it resolved before any suite ran,
 * in one typed, versioned object. `netconform run` writes it once as run.json beside the reports
 * and hands its path to the suite processes in one variable; suites read it through
 * {@link runDescription}, the only reader, instead of each reading its own variables.
 *
 * A suite process started without it (jest pointed at a cluster by hand) gets a description
 * built from the defaults: the kubeconfig that KUBECONFIG or ~/.kube/config names, a new run id,
 * every check, the Docker endpoint DOCKER_HOST or the default socket names.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dockerEndpointOf, type DockerEndpoint } from './docker.ts';
import { kubeconfigPath } from './kubeconfig.ts';
import { newRun, type RunIdentity } from './run-id.ts';

/** The format of run.json; bumped when a field changes meaning. */
export const runDescriptionVersion = 1;

/** The variable that carries the path of run.json to the suite processes. */
export const runDescriptionVariable = 'KNC_RUN_DESCRIPTION';

/** The settings of a run, as the command line resolved them. */
export interface RunSettings {
  /** The kubeconfig of the cluster under test. */
  readonly kubeconfig: string;
  /** Its context; "" for the file's current context. */
  readonly context: string;
  /** The kind profile the cluster was made with, or "existing". */
  readonly profile: string;
  /** The check ids chosen with --suites/--skip; undefined for every check of the chosen areas. */
  readonly checks?: readonly string[];
  /** Registry prefix for the fixture images (--image-mirror). */
  readonly imageMirror?: string;
  /** The file of per-image replacements (--image-overrides). */
  readonly imageOverrides?: string;
  /** DNS name[:port] of the server behind the ExternalName Service (--external-target). */
  readonly externalTarget?: string;
  /** The Docker network the cluster's nodes are on (kind's "kind" unless told otherwise). */
  readonly nodesNetwork: string;
  /** Per-check progress lines on stderr. */
  readonly verbose: boolean;
  /** Where the reports go. */
  readonly reportDir?: string;
}

/** Everything a suite process needs to know about its run. */
export interface RunDescription {
  readonly version: typeof runDescriptionVersion;
  /** Id, host, pid and start of the run (its objects carry these as labels and annotations). */
  readonly run: RunIdentity;
  readonly settings: RunSettings;
  /** The one Docker engine of the run (helpers/docker.ts). */
  readonly docker: DockerEndpoint;
}

/** run.json as written: dates as ISO strings. */
interface StoredDescription extends Omit<RunDescription, 'run'> {
  readonly run: Omit<RunIdentity, 'startedAt'> & { readonly startedAt: string };
}

/** Writes `description` to `path` (run.json). */
export function writeRunDescription(path: string, description: RunDescription): void {
  const stored: StoredDescription = {
    ...description,
    run: { ...description.run, startedAt: description.run.startedAt.toISOString() },
  };
  writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`);
}

/**
 * Reads a run.json.
 * @throws {Error} naming the file when it is not a description of this version.
 */
export function readRunDescriptionFile(path: string): RunDescription {
  const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredDescription>;
  if (stored.version !== runDescriptionVersion || stored.run === undefined)
    throw new Error(
      `${path} is not a run description of version ${String(runDescriptionVersion)} (version ${String(stored.version)})`,
    );
  return {
    ...(stored as StoredDescription),
    run: { ...stored.run, startedAt: new Date(stored.run.startedAt) },
  };
}

/** The description of a run started without `netconform run`: see the file comment. */
export function defaultRunDescription(env: NodeJS.ProcessEnv = process.env): RunDescription {
  return {
    version: runDescriptionVersion,
    run: newRun(),
    settings: {
      kubeconfig: kubeconfigPath({}, env),
      context: '',
      profile: 'existing',
      nodesNetwork: 'kind',
      verbose: false,
    },
    docker: dockerEndpointOf(env),
  };
}

let cached: RunDescription | undefined;

/** The description of this process's run, read once (see the file comment). */
export function runDescription(env: NodeJS.ProcessEnv = process.env): RunDescription {
  if (cached !== undefined) return cached;
  const path = env[runDescriptionVariable];
  cached =
    path === undefined || path === '' ? defaultRunDescription(env) : readRunDescriptionFile(path);
  return cached;
}
