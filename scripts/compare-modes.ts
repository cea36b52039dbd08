// `npm run compare-modes -- REPORT_DIR... [--out DIR]`: the kube-proxy mode comparison table from
// the reports of runs on clusters of different modes (each REPORT_DIR is a `netconform run
// --report-dir`). Writes DIR/mode-comparison.html and DIR/mode-comparison.md (DIR defaults to
// reports/out/mode-comparison) and prints the Markdown table. Exit 2 when a directory holds no run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  compareModes,
  readModeRun,
  renderModeComparisonHtml,
  renderModeComparisonMarkdown,
} from '../reports/mode-comparison.ts';

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: npm run compare-modes -- REPORT_DIR... [--out DIR]');
  process.exit(2);
}
let table;
try {
  table = compareModes(positionals.map((d) => readModeRun(resolve(d))));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error('fix: pass the --report-dir of finished `netconform run`s');
  process.exit(2);
}
const out = resolve(
  values.out ?? join(import.meta.dirname, '..', 'reports', 'out', 'mode-comparison'),
);
mkdirSync(out, { recursive: true });
const markdown = renderModeComparisonMarkdown(table);
writeFileSync(join(out, 'mode-comparison.md'), `${markdown}\n`);
writeFileSync(join(out, 'mode-comparison.html'), renderModeComparisonHtml(table));
console.log(markdown);
console.log(`\nwritten: ${join(out, 'mode-comparison.html')}`);
