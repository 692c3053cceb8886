// `npm run bench`: runs every tests/bench/*.bench.ts suite (or those named on the command line)
// and prints each figure against its target. Figures are from one run on this machine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, BenchSuite } from './harness';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const all: BenchResult[] = [];
for (const f of files) {
  console.log(`\n▶ ${f}`);
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { suite: BenchSuite };
  const t0 = Date.now();
  const results = await mod.suite();
  for (const r of results) {
    const mark = r.pass === undefined ? ' ' : r.pass ? '✓' : '✗';
    const val =
      r.unit === '×'
        ? `${r.value.toFixed(2)}×`
        : `${r.value < 10 ? r.value.toFixed(3) : r.value.toFixed(1)} ${r.unit}`;
    console.log(
      `  ${mark} ${r.name}: ${val}${r.target ? `  (target ${r.target})` : ''}${r.note ? `\n      ${r.note}` : ''}`,
    );
  }
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  all.push(...results);
}
const failed = all.filter((r) => r.pass === false);
console.log(
  `\n${all.length} figures, ${all.filter((r) => r.pass).length} within target, ${failed.length} outside target`,
);
