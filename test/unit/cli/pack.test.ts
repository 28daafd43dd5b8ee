/**
 * The CLI as a user gets it (issue 10.1): `npm pack` (its prepack builds the bundle), the tarball installed
 * OFFLINE into an empty directory with an unreachable registry — which proves it needs no registry
 * dependency — and run there, as `npx ./….tgz` and as a global install.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { USAGE } from "../../../src/cli/args";
import { reply, startServer, type TestServer } from "../keys/server";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "cai-pack-")));
const app = join(tmp, "app");
const tarball = join(tmp, `${pkg.name}-${pkg.version}.tgz`);
const NOW = 1_800_000_000;

// npm as a user's shell has it: no npm_* variables from a surrounding `npm test`, a private cache, and a
// registry nothing answers on, so any registry request fails the install.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
Object.assign(env, {
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
  NO_COLOR: "1",
  npm_config_cache: join(tmp, "npm-cache"),
  npm_config_registry: "http://127.0.0.1:9/",
  npm_config_update_notifier: "false",
});
const exec = promisify(execFile);
const npm = (args: string[], cwd: string) => exec("npm", args, { cwd, env, maxBuffer: 1 << 24 });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** Runs an installed command itself (its `#!/usr/bin/env -S node --` line included), as a shell would. */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let packed: string[] = [];
let installStderr = "";
let server: TestServer;
let sign: (claims: Record<string, unknown>) => Promise<string>;
const bin = join(app, "node_modules", ".bin", "convex-auth-inspector");

beforeAll(async () => {
  const out = await npm(["pack", "--pack-destination", tmp, "--json"], root);
  // prepack's own output may precede the JSON on stdout.
  const list = JSON.parse(out.stdout.slice(out.stdout.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  expect(list[0]!.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
  packed = list[0]!.files.map((f) => f.path).sort();

  mkdirSync(app);
  installStderr = (await npm(["install", "--offline", "--no-audit", "--no-fund", tarball], app)).stderr;

  const keys = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(keys.privateKey);
  server = await startServer();
  server.route("/oidc/.well-known/openid-configuration", reply(200, { "content-type": "application/json" }, JSON.stringify({ issuer: server.url("/oidc"), jwks_uri: server.url("/oidc/jwks") })));
  server.route("/oidc/jwks", reply(200, { "content-type": "application/json" }, JSON.stringify({ keys: [jwk] })));
  // The user's Convex app: npm install wrote its package.json; the config reads the issuer from the deployment's env.
  mkdirSync(join(app, "convex"));
  mkdirSync(join(app, "src"));
  writeFileSync(join(app, "convex", "auth.config.ts"), `export default {\n  providers: [{ domain: process.env.ISSUER!, applicationID: "convex" }],\n};\n`);
}, 90_000);

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("the packed CLI", () => {
  it("ships only the runtime files: the bin, the bundle and its libraries' notices, README, LICENSE and package.json", () => {
    expect(packed).toEqual([
      "LICENSE",
      "README.md",
      "bin/convex-auth-inspector.mjs",
      "dist/cli/THIRD-PARTY-LICENSES.txt",
      "dist/cli/convex-auth-inspector.mjs",
      "package.json",
    ]);
    for (const p of packed) expect(p).not.toMatch(/^(src|test|scripts|node_modules)\/|\.map$/);
    // The bundle names no path of the machine that built it.
    expect(readFileSync(join(app, "node_modules", pkg.name, "dist/cli/convex-auth-inspector.mjs"), "utf8")).not.toContain(root);
  });

  it("ships the license of every library bundled into the CLI", () => {
    const notices = readFileSync(join(app, "node_modules", pkg.name, "dist/cli/THIRD-PARTY-LICENSES.txt"), "utf8");
    const bundle = readFileSync(join(app, "node_modules", pkg.name, "dist/cli/convex-auth-inspector.mjs"), "utf8");
    // esbuild heads each bundled module with its path: every package named there has its notice.
    const bundled = new Set([...bundle.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!));
    expect(bundled.size).toBeGreaterThan(0);
    const sections = notices.split(/^-{80}$/m).map((t) => t.trim());
    for (const name of bundled) {
      // The first section also holds the file's heading line.
      const section = sections.map((t) => t.slice(t.indexOf(`${name}@`))).find((t) => t.startsWith(`${name}@`)) ?? "";
      expect(section, name).toMatch(/^\S+@\d+\.\d+\.\d+ \(MIT\)\n\n[^]*Permission is hereby granted/);
    }
  });

  it("installs offline with nothing from a registry and no install script", () => {
    expect(installStderr).not.toMatch(/install-scripts|ERR/);
    const manifest = JSON.parse(readFileSync(join(app, "node_modules", pkg.name, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it("--help, --version, check --help and analyze --help work from the installed package", async () => {
    for (const argv of [["--help"], ["check", "--help"], ["analyze", "--help"]]) {
      const r = await run(bin, argv, app);
      expect([r.code, r.stderr], argv.join(" ")).toEqual([0, ""]);
      expect(r.stdout).toBe(USAGE + "\n");
    }
    const v = await run(bin, ["--version"], app);
    expect([v.code, v.stdout]).toEqual([0, `${pkg.version}\n`]);
  }, 30_000);

  it("check finds convex/auth.config.ts from a subdirectory, names the env it needs, then accepts with --env", async () => {
    const token = await sign({ iss: server.url("/oidc"), sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600 });
    const found = `Config     convex/auth.config.ts (found in ${app}; use --config FILE to choose another, --no-config to use none)`;
    const cwd = join(app, "src");

    const open = await run(bin, ["check", token, "--now", String(NOW)], cwd);
    expect(open.stderr).toBe("");
    expect(open.code).toBe(3);
    expect(open.stdout).toMatch(/^Verdict {4}UNKNOWN/);
    expect(open.stdout).toContain(found);
    expect(open.stdout).toContain("needs --env ISSUER=… (set on the deployment, not read from here: `npx convex env get ISSUER`)");

    const given = await run(bin, ["check", token, "--now", String(NOW), "--env", `ISSUER=${server.url("/oidc")}`], cwd);
    expect(given.stderr).toBe("");
    expect(given.code).toBe(0);
    expect(given.stdout).toMatch(/^Verdict {4}ACCEPTED/);
    expect(given.stdout).toContain(found);
    expect(given.stdout).toContain(`Provider   #0 OIDC(domain=${server.url("/oidc")}, app_id=convex)`);
    expect(server.hits("/oidc/jwks")).toBeGreaterThan(0);

    const json = await run(bin, ["check", token, "--now", String(NOW), "--env", `ISSUER=${server.url("/oidc")}`, "--json"], cwd);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout);
    expect(j.verdict).toBe("accepted");
    expect(j.config).toEqual({ path: join(app, "convex", "auth.config.ts"), source: "found", unresolvedEnv: [] });
    expect(json.stderr).toBe(`convex-auth-inspector: config convex/auth.config.ts (found in ${app}; use --config FILE to choose another, --no-config to use none)\n`);
  }, 30_000);

  it("runs as the README says: `npx ./….tgz`, `npx file:/…/….tgz` from the app, and `npm install -g ./….tgz`", async () => {
    const npx = (spec: string, args: string[], cwd: string) => exec("npx", ["--offline", "--yes", spec, ...args], { cwd, env });
    expect((await npx(`./${pkg.name}-${pkg.version}.tgz`, ["--version"], tmp)).stdout).toBe(`${pkg.version}\n`);
    // From the app's directory, where it finds the config: a relative path, or file: with an absolute one.
    const token = await sign({ iss: server.url("/oidc"), sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600 });
    const fromApp = await npx(`file:${tarball}`, ["check", token, "--now", String(NOW), "--env", `ISSUER=${server.url("/oidc")}`], app);
    expect(fromApp.stdout).toMatch(/^Verdict {4}ACCEPTED/);
    expect(fromApp.stdout).toContain(`Config     convex/auth.config.ts (found in ${app};`);
    const prefix = join(tmp, "global");
    await npm(["install", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", `./${pkg.name}-${pkg.version}.tgz`], tmp);
    const r = await run(join(prefix, "bin", "convex-auth-inspector"), ["check", "--help"], tmp);
    expect([r.code, r.stdout]).toEqual([0, USAGE + "\n"]);
  }, 60_000);
});
