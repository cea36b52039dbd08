/** The conformance areas: each directory of suites/ holding a <area>.suite.ts file. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../clusters/paths.ts';

/** Names of the areas that exist, sorted. */
export function suiteAreas(): string[] {
  const dir = join(repoRoot, 'suites');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, `${e.name}.suite.ts`)))
    .map((e) => e.name)
    .sort();
}
