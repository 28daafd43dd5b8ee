/** The config finder (src/cli/find-config.ts) on real directories, and how check / analyze use what it finds. */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findAuthConfig } from "../../../src/cli/find-config";
import { InputError } from "../../../src/cli/input";
import { buildCli, runCli } from "./run";

const base = realpathSync(mkdtempSync(join(tmpdir(), "cai-find-")));
let n = 0;
/** A fresh directory tree: `{ "app/package.json": "{}", … }` → its root. */
function tree(files: Record<string, string>): string {
  const dir = join(base, String(n++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const CONFIG = `export default { providers: [{ domain: "https://issuer.example.com", applicationID: "convex" }] };\n`;

describe("findAuthConfig", () => {
  it("searches upwards from a subdirectory to the project root (the nearest package.json)", async () => {
    const t = tree({ "app/package.json": "{}", "app/convex/auth.config.ts": CONFIG, "app/src/components/x.tsx": "" });
    const r = await findAuthConfig(join(t, "app/src/components"));
    expect(r.found).toEqual({ path: join(t, "app/convex/auth.config.ts"), root: join(t, "app"), relative: "convex/auth.config.ts" });
  });

  it("takes auth.config.js when there is no auth.config.ts", async () => {
    const t = tree({ "package.json": "{}", "convex/auth.config.js": CONFIG });
    expect((await findAuthConfig(t)).found?.relative).toBe("convex/auth.config.js");
  });

  it("refuses both auth.config.ts and auth.config.js, as `npx convex dev` does", async () => {
    const t = tree({ "package.json": "{}", "convex/auth.config.ts": CONFIG, "convex/auth.config.js": CONFIG });
    await expect(findAuthConfig(t)).rejects.toThrow(InputError);
    await expect(findAuthConfig(t)).rejects.toThrow(/found both .*auth\.config\.ts and .*auth\.config\.js/);
  });

  it("honours convex.json's functions folder, and then ignores convex/", async () => {
    const t = tree({
      "package.json": "{}",
      "convex.json": JSON.stringify({ functions: "backend/convex/" }),
      "backend/convex/auth.config.ts": CONFIG,
      "convex/auth.config.ts": CONFIG,
    });
    expect((await findAuthConfig(join(t, "backend"))).found?.relative).toBe("backend/convex/auth.config.ts");
    const moved = tree({ "package.json": "{}", "convex.json": JSON.stringify({ functions: "functions" }), "convex/auth.config.ts": CONFIG });
    const r = await findAuthConfig(moved);
    expect(r.found).toBeNull();
    expect(r.found === null && r.why).toBe(`no auth.config.ts or auth.config.js in ${join(moved, "functions")}`);
  });

  it("uses convex/ when convex.json has no functions key, and src/convex/ for create-react-app without convex.json", async () => {
    const t = tree({ "package.json": "{}", "convex.json": JSON.stringify({ node: { externalPackages: [] } }), "convex/auth.config.ts": CONFIG });
    expect((await findAuthConfig(t)).found?.relative).toBe("convex/auth.config.ts");
    const cra = tree({ "package.json": JSON.stringify({ dependencies: { "react-scripts": "5.0.1" } }), "src/convex/auth.config.ts": CONFIG });
    expect((await findAuthConfig(cra)).found?.relative).toBe("src/convex/auth.config.ts");
  });

  it("a convex.json it cannot read is one InputError, not a guess", async () => {
    const t = tree({ "package.json": "{}", "convex.json": "{ functions: ", "convex/auth.config.ts": CONFIG });
    await expect(findAuthConfig(t)).rejects.toThrow(/convex\.json .*: not a JSON object/);
    const wrong = tree({ "package.json": "{}", "convex.json": JSON.stringify({ functions: 3 }) });
    await expect(findAuthConfig(wrong)).rejects.toThrow(/"functions" must be a string/);
  });

  it("stops at the project root: a config above the nearest package.json is not the app's", async () => {
    const t = tree({ "convex/auth.config.ts": CONFIG, "package.json": "{}", "web/package.json": "{}", "web/src/main.ts": "" });
    const r = await findAuthConfig(join(t, "web/src"));
    expect(r.found).toBeNull();
    expect(r.found === null && r.why).toBe(`no auth.config.ts or auth.config.js in ${join(t, "web/convex")}`);
  });

  // Only meaningful where nothing above the temp directory has a package.json (true on CI machines).
  const noPackageAbove = (() => {
    for (let d = base; ; d = dirname(d)) {
      if (existsSync(join(d, "package.json"))) return false;
      if (dirname(d) === d) return true;
    }
  })();
  it.skipIf(!noPackageAbove)("without any package.json above, there is no Convex app and nothing is read", async () => {
    const t = tree({ "convex/auth.config.ts": CONFIG });
    const r = await findAuthConfig(t);
    expect(r.found === null && r.why).toBe(`no package.json in ${t} or above, so no Convex app`);
  });
});

describe("check and analyze with a found config", () => {
  beforeAll(() => buildCli());
  // A token no provider list can save (no aud, and the config's only provider is OIDC): decided offline.
  const token = `${Buffer.from(JSON.stringify({ alg: "RS256", kid: "k" })).toString("base64url")}.${Buffer.from(
    JSON.stringify({ iss: "https://issuer.example.com", sub: "u", iat: 1_800_000_000, exp: 1_800_003_600 }),
  ).toString("base64url")}.c2ln`;

  it("check says where the config came from, and --no-config uses none", async () => {
    const t = tree({ "package.json": "{}", "convex/auth.config.ts": CONFIG });
    const r = await runCli(["check", token, "--offline", "--now", "1800000060"], undefined, t);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Config     convex/auth.config.ts (found in ${t}; use --config FILE to choose another, --no-config to use none)`);
    // The found provider is the one the backend's NoAuthProvider text lists.
    expect(r.stdout).toContain("[OIDC(domain=https://issuer.example.com, app_id=convex)]");
    // The shareable Markdown names the file inside the app, never the user's directories.
    const md = await runCli(["check", token, "--offline", "--now", "1800000060", "--markdown"], undefined, t);
    expect(md.stdout).toContain("### Providers (from convex/auth.config.ts, found in the app)");
    expect(md.stdout).not.toContain(t);
    expect(md.stderr).toContain(`config convex/auth.config.ts (found in ${t};`);
    const none = await runCli(["check", token, "--offline", "--now", "1800000060", "--no-config", "--json"], undefined, t);
    expect(JSON.parse(none.stdout).config).toBeNull();
    expect(none.stderr).toBe("");
    const both = await runCli(["check", token, "--config", "x.ts", "--no-config"], undefined, t);
    expect([both.code, both.stderr.split("\n")[0]]).toEqual([2, "convex-auth-inspector: --config and --no-config are exclusive: name a config or use none"]);
  });

  it("with a process.env value missing, the report does not claim that no provider matched", async () => {
    const t = tree({ "package.json": "{}", "convex/auth.config.ts": `export default { providers: [{ domain: process.env.ISS, applicationID: "convex" }] };\n` });
    const expired = token.replace(/^([^.]+)\.[^.]+/, (_, h: string) => `${h}.${Buffer.from(JSON.stringify({ iss: "https://issuer.example.com", sub: "u", aud: "convex", iat: 1, exp: 2 })).toString("base64url")}`);
    const r = await runCli(["check", expired, "--offline"], undefined, t);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Provider   not decided (see check-incomplete); the token is rejected whichever provider takes it");
    expect(r.stdout).toContain("needs --env ISS=…");
    const given = await runCli(["check", expired, "--offline", "--env", "ISS=https://other.example.com"], undefined, t);
    expect(given.stdout).toContain("Provider   none matched");
  });

  it("a found config that does not parse is exit 2 with one line, like a given one", async () => {
    const t = tree({ "package.json": "{}", "convex/auth.config.ts": "export default {\n  providers: [\n" });
    const r = await runCli(["check", token, "--offline"], undefined, t);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^convex-auth-inspector: found config ${join(t, "convex/auth.config.ts")}:\\d+:\\d+: .+ \\(use --config FILE to choose another, --no-config to use none\\)\\n$`));
    const given = await runCli(["check", token, "--offline", "--config", "convex/auth.config.ts"], undefined, t);
    expect(given.code).toBe(2);
    expect(given.stderr).toMatch(/^convex-auth-inspector: --config convex\/auth\.config\.ts:\d+:\d+: .+\n$/);
  });

  it("analyze --json carries the found config, and its env names without values", async () => {
    const t = tree({
      "package.json": "{}",
      "convex/auth.config.ts": `export default { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: "convex" }] };\n`,
      "capture.har": JSON.stringify({ log: { version: "1.2", creator: { name: "test", version: "1" }, entries: [] } }),
    });
    const r = await runCli(["analyze", "capture.har", "--json"], undefined, t);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).config).toEqual({ path: join(t, "convex/auth.config.ts"), source: "found", unresolvedEnv: ["CLERK_JWT_ISSUER_DOMAIN"] });
    const text = await runCli(["analyze", "capture.har"], undefined, t);
    expect(text.stdout).toContain(`Config     convex/auth.config.ts (found in ${t}; use --config FILE to choose another, --no-config to use none)`);
    expect(text.stdout).toContain("needs --env CLERK_JWT_ISSUER_DOMAIN=… (set on the deployment, not read from here: `npx convex env get CLERK_JWT_ISSUER_DOMAIN`)");
    expect(text.stderr).toBe("");
    // --json's stdout is the object alone: where the config came from goes to stderr.
    expect(r.stderr).toBe(
      `convex-auth-inspector: config convex/auth.config.ts (found in ${t}; use --config FILE to choose another, --no-config to use none); no value here for process.env.CLERK_JWT_ISSUER_DOMAIN: give it with --env NAME=VALUE\n`,
    );
  });
});
