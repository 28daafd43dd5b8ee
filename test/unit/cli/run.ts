/** Runs the real bundled CLI (built once per run: build-once.ts) as a child process. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = fileURLToPath(new URL("../../../", import.meta.url));
export const BIN = `${root}bin/convex-auth-inspector.mjs`;

/** Set by build-once.ts (vitest's globalSetup) once it has built the bundle for this run. */
export const BUILT_ENV = "CAI_CLI_BUILT";

let built = false;
/** Builds the bundle unless this run already did (once per vitest run; once per file under another runner). */
export function buildCli(): void {
  if (built || process.env[BUILT_ENV]) return;
  execFileSync(process.execPath, [`${root}scripts/build-cli.mjs`], { cwd: root, stdio: "inherit" });
  built = true;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `cwd`: where the CLI runs (default the repository root, which has no convex/ folder, so no config is found). */
export function runCli(args: string[], stdin?: string | Buffer, cwd = root): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // `--` as in the bin's shebang: Node 20 would otherwise take a script argument `--env-file` as its own.
    const child = spawn(process.execPath, ["--", BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // The CLI stops reading stdin once it is over its limit: a closed pipe is the expected outcome then.
    child.stdin.on("error", () => {});
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}
