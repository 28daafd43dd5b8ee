// `npm test`: build, typecheck, `web-ext lint` of dist/firefox, then Chromium end-to-end (Playwright) and unit +
// harness tests (Vitest) side by side, then Firefox (puppeteer-core).
// Each suite writes a JSON report; the last line sums them as "N passed, N failed".
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";

// Not test-results/: Playwright empties that folder when it starts.
const out = "test-reports";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const results = [];
function step(name, cmd, args, env = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(" ")}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, seconds });
  return r.status === 0;
}

/**
 * A step that runs beside another: its output goes to `<out>/<file>.log` and is printed whole when it ends, so
 * two suites' lines never interleave.
 */
async function stepBeside(name, file, cmd, args, env = {}) {
  const started = Date.now();
  const log = `${out}/${file}.log`;
  process.stdout.write(`\n=== ${name} started: ${cmd} ${args.join(" ")} (output: ${log})\n`);
  const fd = openSync(log, "w");
  const status = await new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code));
  });
  closeSync(fd);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n=== ${name} (${seconds} s):\n${readFileSync(log, "utf8")}`);
  results.push({ name, ok: status === 0, seconds });
  return status === 0;
}

/** Titles of Playwright tests that failed first and passed on a retry. */
function flakyTitles(report) {
  const out = [];
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === "flaky") out.push([...path, spec.title].join(" › "));
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  return out;
}

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);

let passed = 0;
let failed = 0;
let built = true;
if (want("build")) built = step("build", "npm", ["run", "build", "--silent"]);
if (want("typecheck")) step("typecheck", "npx", ["tsc", "--noEmit"]);
// AMO's linter on what would be submitted: its summary (errors / notices / warnings) goes into the log, and a
// warning fails the step like an error does. Offline: no config discovery, no network.
if (want("lint") && built) {
  step("web-ext lint (dist/firefox)", "npx", ["web-ext", "lint", "--source-dir", "dist/firefox", "--no-config-discovery", "--warnings-as-errors"]);
}

// One after another the suites took ~15 min on the 2-core CI machine, much of it waiting (on browsers, sockets,
// npm), so unit runs beside Chromium e2e (the longest). Firefox waits for both: its package test rebuilds
// dist/chrome (vite empties it first) under the Chromium tests' feet, as e2e's package test does dist/firefox.
async function e2eLane() {
  if (!(want("e2e") && built)) return;
  await stepBeside("e2e (Chromium)", "e2e", "npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json` });
  if (existsSync(`${out}/playwright.json`)) {
    const report = JSON.parse(readFileSync(`${out}/playwright.json`, "utf8"));
    const s = report.stats;
    passed += s.expected + (s.flaky ?? 0);
    failed += s.unexpected;
    for (const title of flakyTitles(report)) process.stdout.write(`FLAKY (passed on retry): ${title}\n`);
  } else failed += 1;
}

async function unitLane() {
  if (!want("unit")) return;
  await stepBeside("unit", "unit", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${out}/vitest.json`]);
  if (existsSync(`${out}/vitest.json`)) {
    const j = JSON.parse(readFileSync(`${out}/vitest.json`, "utf8"));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
  } else failed += 1;
}

const besideStarted = Date.now();
await Promise.all([e2eLane(), unitLane()]);
const besideSeconds = ((Date.now() - besideStarted) / 1000).toFixed(1);

if (want("firefox") && built && existsSync("test/firefox/run.mjs")) {
  step("firefox", "node", ["test/firefox/run.mjs", `--json=${out}/firefox.json`]);
  if (existsSync(`${out}/firefox.json`)) {
    const s = JSON.parse(readFileSync(`${out}/firefox.json`, "utf8"));
    passed += s.passed;
    failed += s.failed;
  } else failed += 1;
}

process.stdout.write("\n");
for (const r of results) process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds} s)\n`);
if (want("unit") || want("e2e")) process.stdout.write(`unit and e2e side by side: ${besideSeconds} s\n`);
const stepsFailed = results.filter((r) => !r.ok).length;
if (stepsFailed && failed === 0) failed = stepsFailed;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || stepsFailed > 0 ? 1 : 0);
