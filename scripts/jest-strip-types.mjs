// Jest transformer: strips TypeScript types with Node's own `module.stripTypeScriptTypes`,
// the same transformation Node applies when it runs the project's .ts files directly.
// Types are replaced by white space, so line and column numbers stay exact (no source maps).
// Type checking is tsc's job (`npm run typecheck`), not the test runner's.
import { createHash } from 'node:crypto';
import { stripTypeScriptTypes } from 'node:module';
import process from 'node:process';

export default {
  process(source, filename) {
    if (!filename.endsWith('.ts')) return { code: source };
    return { code: stripTypeScriptTypes(source, { mode: 'strip' }) };
  },
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update(process.version)
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
