#!/usr/bin/env node
// Runs the Firefox suite (vitest + puppeteer-core + Firefox ESR, the built dist/firefox) and, with
// --json=FILE, writes { passed, failed } for scripts/test.mjs. Exit status: vitest's.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const jsonArg = process.argv.find((a) => a.startsWith("--json="));
const summaryFile = jsonArg ? resolve(jsonArg.slice("--json=".length)) : null;
const raw = join(root, "test-reports", "firefox-vitest.json");
rmSync(raw, { force: true });

const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const r = spawnSync(
  process.execPath,
  [vitest, "run", "--config", "test/firefox/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile=${raw}`],
  { cwd: root, stdio: "inherit" },
);

if (summaryFile) {
  let passed = 0;
  let failed = 1; // no report at all counts as a failure
  if (existsSync(raw)) {
    const j = JSON.parse(readFileSync(raw, "utf8"));
    passed = j.numPassedTests;
    failed = j.numFailedTests + (r.status !== 0 && j.numFailedTests === 0 ? 1 : 0);
  }
  writeFileSync(summaryFile, JSON.stringify({ passed, failed }));
}
process.exit(r.status ?? 1);
