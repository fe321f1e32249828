#!/usr/bin/env node
// `npm test`: lint, typecheck, build and test every package through turbo, then print one closing
// line that sums the vitest reports of all packages: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Each package's report, and the browser tests' of the packages that have them (apps/portal).
const REPORTS = ['vitest-report.json', 'vitest-e2e-report.json'].map((name) => join('test-artifacts', name));
const packageDirs = ['apps', 'packages', 'tooling'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name)),
);

for (const dir of packageDirs) for (const report of REPORTS) rmSync(join(dir, report), { force: true });

const turbo = spawnSync(
  'turbo',
  ['run', 'lint', 'typecheck', 'build', 'test', '--output-logs=new-only', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of packageDirs.flatMap((dir) => REPORTS.map((report) => join(dir, report)))) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
process.stdout.write(
  `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(turbo.status ?? 1);
