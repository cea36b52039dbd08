// Starts jest in native ESM mode (the project and @kubernetes/client-node 2.x are ESM-only).
// Usage: scripts/node24 scripts/jest.ts [jest arguments]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
const result = spawnSync(
  process.execPath,
  // process.execArgv: the warnings scripts/node24 silences, and its type-stripping hook if any.
  ['--experimental-vm-modules', ...process.execArgv, jestBin, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
