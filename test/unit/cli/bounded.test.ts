/**
 * Every file the CLI opens is read with a bound: a device, a pipe or an oversized file gets one line on stderr
 * and exit 2, never a hang (`--env-file /dev/zero` used to read forever) or a stack trace.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, buildCli, runCli } from "./run";

const dir = mkdtempSync(join(tmpdir(), "cai-bounded-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2kuZXhhbXBsZSJ9.c2ln";

let config: string;
let fifo: string;
beforeAll(() => {
  buildCli();
  config = file("auth.config.ts", `export default { providers: [{ domain: "https://i.example", applicationID: "convex" }] };\n`);
  fifo = join(dir, "pipe");
  // A named pipe nobody writes to: opening it would block forever.
  execFileSync("mkfifo", [fifo]);
});

describe("bounded reads: one line, exit 2", () => {
  const over = () => file("big.env", `A=${"x".repeat(1024 * 1024)}\n`);
  const cases: [string, () => string[], RegExp][] = [
    ["--env-file /dev/zero", () => ["--config", config, "--env-file", "/dev/zero"], /^convex-auth-inspector: --env-file \/dev\/zero: is a character device, not a regular file$/],
    ["--config /dev/zero", () => ["--config", "/dev/zero"], /^convex-auth-inspector: --config \/dev\/zero: is a character device, not a regular file$/],
    ["--jwks /dev/zero", () => ["--jwks", "/dev/zero"], /^convex-auth-inspector: --jwks \/dev\/zero: is a character device, not a regular file$/],
    ["--env-file on a named pipe", () => ["--config", config, "--env-file", fifo], /--env-file .*pipe: is a named pipe, not a regular file$/],
    ["--config on a named pipe", () => ["--config", fifo], /--config .*pipe: is a named pipe, not a regular file$/],
    ["an --env-file over 1 MiB", () => ["--config", config, "--env-file", over()], /--env-file .*big\.env: 1\.0 MiB is too large \(limit 1\.0 MiB\)$/],
    ["a --config over 1 MiB", () => ["--config", file("big.config.ts", `// ${"x".repeat(1024 * 1024)}\n`)], /--config .*big\.config\.ts: 1\.0 MiB is too large \(limit 1\.0 MiB\)$/],
    ["a --jwks file over 1 MiB", () => ["--jwks", file("big.jwks.json", JSON.stringify({ keys: [], pad: "x".repeat(1024 * 1024) }))], /--jwks .*big\.jwks\.json: 1\.0 MiB is too large \(limit 1\.0 MiB\)$/],
  ];
  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const r = await runCli(["check", TOKEN, ...args()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      // The message says the file was refused before it was read (by its kind or its size), so nothing of
      // /dev/zero or the pipe was read; a hang would fail by the test's timeout.
      expect(r.stderr.trimEnd()).toMatch(expected);
    });
  }

  it("run through its shebang, --env-file /dev/zero reaches the CLI (Node itself would read it without `--`)", () => {
    const r = spawnSync(BIN, ["check", TOKEN, "--config", config, "--env-file", "/dev/zero"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd()).toBe("convex-auth-inspector: --env-file /dev/zero: is a character device, not a regular file");
  });

  it("stdin from an endless stream stops at the token limit", async () => {
    const r = await runCli(["check", "-"], Buffer.alloc(4 * 1024 * 1024));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(/^convex-auth-inspector: token on stdin is over 1\.0 MiB; a Convex token is a few KB$/);
  });

  it("a large config under the limit is still read", async () => {
    const padded = file("padded.config.ts", `export default { providers: [] };\n//${"x".repeat(90 * 1000)}\n`);
    const r = await runCli(["check", TOKEN, "--config", padded]);
    expect(r.stderr).toBe("");
    expect(r.code).not.toBe(2);
  });
});
