/**
 * Docker image tags a cluster run creates, and a cache of the expensive ones.
 *
 * `cluster down` must leave Docker as the user had it, so the tags `cluster up` created are
 * removed. Building the node and fixture images again would cost minutes, so before their tags are
 * removed they are saved (`docker save`) into the cache, and the next `cluster up` loads them back
 * (`docker load`) before the build scripts look for them: the scripts then find their cached
 * images and skip the build.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runHost, runHostChecked } from '../helpers/shell.ts';
import { cacheDir } from './paths.ts';

const saveBudgetMs = 10 * 60_000;

/** Every repository:tag Docker has now. */
export async function imageTags(): Promise<Set<string>> {
  const result = await runHostChecked(['docker', 'images', '--format', '{{.Repository}}:{{.Tag}}']);
  return new Set(result.stdout.split('\n').filter((t) => t !== '' && !t.includes('<none>')));
}

/** The image id of a tag, or undefined when Docker has no such tag. */
async function imageId(tag: string): Promise<string | undefined> {
  const r = await runHost(['docker', 'image', 'inspect', '--format', '{{.Id}}', tag]);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** True when Docker has this tag. */
export async function hasImage(tag: string): Promise<boolean> {
  return (await imageId(tag)) !== undefined;
}

function storeDir(): string {
  return join(cacheDir(), 'saved-images');
}

function fileFor(tag: string): string {
  return join(storeDir(), `${createHash('sha256').update(tag).digest('hex').slice(0, 16)}.tar`);
}

/** Saves `tags` into the cache (one archive per tag, replacing an older one). */
export async function saveImages(
  tags: readonly string[],
  log: (line: string) => void,
): Promise<void> {
  mkdirSync(storeDir(), { recursive: true });
  for (const tag of tags) {
    if (!(await hasImage(tag))) continue;
    const file = fileFor(tag);
    log(`saving ${tag} to the cache`);
    await runHostChecked(['docker', 'save', '-o', `${file}.part`, tag], {
      timeoutMs: saveBudgetMs,
    });
    renameSync(`${file}.part`, file);
    writeFileSync(`${file}.tag`, tag);
  }
}

/** Loads every cached image whose tag Docker lacks; returns the tags loaded. */
export async function restoreImages(log: (line: string) => void): Promise<string[]> {
  if (!existsSync(storeDir())) return [];
  const loaded: string[] = [];
  for (const name of readdirSync(storeDir()).filter((n) => n.endsWith('.tar'))) {
    const file = join(storeDir(), name);
    if (!existsSync(`${file}.tag`)) continue;
    const tag = readFileSync(`${file}.tag`, 'utf8').split('\n')[0]?.trim() ?? '';
    if (tag === '') continue;
    if (await hasImage(tag)) continue;
    log(`loading ${tag} from the cache`);
    await runHostChecked(['docker', 'load', '-q', '-i', file], { timeoutMs: saveBudgetMs });
    loaded.push(tag);
  }
  return loaded;
}

/** Removes tags (not forced: an image still used by a container keeps its tag, and we say so). */
export async function removeTags(
  tags: readonly string[],
  log: (line: string) => void,
): Promise<void> {
  for (const tag of tags) {
    const result = await runHost(['docker', 'rmi', tag]);
    if (result.exitCode !== 0 && !/No such image/i.test(result.stderr)) {
      log(`kept image ${tag}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
    }
  }
}
