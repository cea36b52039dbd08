/**
 * The fixture images, pinned in one file (clusters/fixtures/images.json, which the offline
 * builder reads too), overridable by one mirror prefix (--image-mirror, e.g. a local registry
 * that mirrors them) and per image by a JSON file of { "<key>": "<image>" } (--image-overrides).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../clusters/paths.ts';
import type { RunSettings } from '../../helpers/run-description.ts';

/** Keys of the fixture images. */
export type FixtureImage = 'nginx' | 'color' | 'netshoot' | 'busybox';

/** Resolves every fixture image with the mirror and overrides applied. */
export function fixtureImages(
  settings: Pick<RunSettings, 'imageMirror' | 'imageOverrides'>,
): Record<FixtureImage, string> {
  const pinned = JSON.parse(
    readFileSync(join(repoRoot, 'clusters', 'fixtures', 'images.json'), 'utf8'),
  ) as Record<FixtureImage, string>;
  const overrides = settings.imageOverrides
    ? (JSON.parse(readFileSync(settings.imageOverrides, 'utf8')) as Partial<
        Record<FixtureImage, string>
      >)
    : {};
  const mirror = settings.imageMirror?.replace(/\/+$/, '');
  const out = {} as Record<FixtureImage, string>;
  for (const key of Object.keys(pinned) as FixtureImage[]) {
    const override = overrides[key];
    out[key] = override ?? (mirror ? `${mirror}/${pinned[key]}` : pinned[key]);
  }
  return out;
}
