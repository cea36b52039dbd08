/**
 * The fixture images, pinned in one file (clusters/fixtures/images.json, which the offline
 * builder reads too), overridable by one mirror prefix (KNC_IMAGE_MIRROR, e.g. a local registry
 * that mirrors them) and per image by a JSON file of { "<key>": "<image>" } (KNC_IMAGE_OVERRIDES).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../clusters/paths.ts';

/** Keys of the fixture images. */
export type FixtureImage = 'nginx' | 'color' | 'netshoot' | 'busybox';

/** Resolves every fixture image with the mirror and overrides applied. */
export function fixtureImages(env: NodeJS.ProcessEnv = process.env): Record<FixtureImage, string> {
  const pinned = JSON.parse(
    readFileSync(join(repoRoot, 'clusters', 'fixtures', 'images.json'), 'utf8'),
  ) as Record<FixtureImage, string>;
  const overrides = env.KNC_IMAGE_OVERRIDES
    ? (JSON.parse(readFileSync(env.KNC_IMAGE_OVERRIDES, 'utf8')) as Partial<
        Record<FixtureImage, string>
      >)
    : {};
  const mirror = env.KNC_IMAGE_MIRROR?.replace(/\/+$/, '');
  const out = {} as Record<FixtureImage, string>;
  for (const key of Object.keys(pinned) as FixtureImage[]) {
    const override = overrides[key];
    out[key] = override ?? (mirror ? `${mirror}/${pinned[key]}` : pinned[key]);
  }
  return out;
}
