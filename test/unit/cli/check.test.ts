import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { buildCli, runCli } from "./run";
import { reply, startServer, type TestServer } from "../keys/server";

const dir = mkdtempSync(join(tmpdir(), "cai-cli-"));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const NOW = 1_800_000_000;

let server: TestServer;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let oidcConfig: string;
let customConfig: string;
let jwksFile: string;

async function sign(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", kid: "k1" }) {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(rsa.privateKey);
}

beforeAll(async () => {
  buildCli();
  rsa = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = await startServer();
  const iss = server.url("/oidc");
  server.route("/oidc/.well-known/openid-configuration", reply(200, { "content-type": "application/json" }, JSON.stringify({ issuer: iss, jwks_uri: server.url("/oidc/jwks") })));
  server.route("/oidc/jwks", reply(200, { "content-type": "application/json" }, JSON.stringify({ keys: [jwk] })));
  oidcConfig = file("auth.config.ts", `import type { AuthConfig } from "convex/server";\nexport default {\n  providers: [{ domain: process.env.ISSUER!, applicationID: "convex" }],\n} satisfies AuthConfig;\n`);
  customConfig = file(
    "custom.config.ts",
    `export default { providers: [{ type: "customJwt", issuer: "https://auth.example.com", jwks: "https://auth.example.com/jwks", algorithm: "RS256", applicationID: "app" }] };`,
  );
  jwksFile = file("jwks.json", JSON.stringify({ keys: [jwk] }));
});
afterAll(() => server.close());

describe("check", () => {
  it("accepts a good OIDC token served by a loopback issuer (discovery + JWKS fetched), exit 0, with the identity", async () => {
    const t = await sign({ iss: server.url("/oidc"), sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600, email: "a@example.com" });
    const r = await runCli(["check", t, "--config", oidcConfig, "--env", `ISSUER=${server.url("/oidc")}`, "--now", String(NOW)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict {4}ACCEPTED/);
    expect(r.stdout).toContain(`"tokenIdentifier": "${server.url("/oidc")}|user_1"`);
    expect(r.stdout).toContain(`"email": "a@example.com"`);
    expect(server.hits("/oidc/jwks")).toBeGreaterThan(0);
  });

  it("prints the README's JSON contract object with --json", async () => {
    const t = await sign({ iss: server.url("/oidc"), sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600 });
    const r = await runCli(["check", t, "--json", "--config", oidcConfig, "--env", `ISSUER=${server.url("/oidc")}`, "--now", String(NOW)]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // The README's JSON contract keys, plus `alternatives` (empty unless the provider type decides the text).
    expect(Object.keys(j).sort()).toEqual(["alternatives", "config", "expectedError", "findings", "identity", "provider", "token", "verdict"]);
    expect(j.config).toEqual({ path: oidcConfig, source: "given", unresolvedEnv: [] });
    expect(j.alternatives).toEqual([]);
    expect(j.verdict).toBe("accepted");
    expect(j.provider).toMatchObject({ type: "oidc", applicationID: "convex", index: 0 });
    expect(j.expectedError).toBeNull();
    expect(j.token.header).toEqual({ alg: "RS256", kid: "k1" });
    expect(j.token.claims.sub).toBe("user_1");
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("identity-preview");
  });

  it("predicts the exact dev NoAuthProvider text for a token without aud, exit 1; --prod gives the redacted text", async () => {
    const t = await sign({ iss: server.url("/oidc"), sub: "user_1", iat: NOW - 60, exp: NOW + 3600 });
    const args = ["check", t, "--json", "--config", oidcConfig, "--env", `ISSUER=${server.url("/oidc")}`, "--now", String(NOW)];
    const dev = await runCli(args);
    expect(dev.code).toBe(1);
    const j = JSON.parse(dev.stdout);
    expect(j.verdict).toBe("rejected");
    expect(j.expectedError.code).toBe("NoAuthProvider");
    expect(j.expectedError.message).toBe(
      `No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=${server.url("/oidc")}, app_id=convex)]`,
    );
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("aud-missing");
    const prod = JSON.parse((await runCli([...args, "--prod"])).stdout);
    expect(prod.expectedError.message).toBe("No auth provider found matching the given token");
  });

  it("uses --now: the same token is expired an hour later (OIDC, no leeway)", async () => {
    const t = await sign({ iss: server.url("/oidc"), sub: "u", aud: "convex", iat: NOW - 60, exp: NOW + 10 });
    const r = await runCli(["check", t, "--json", "--config", oidcConfig, "--env", `ISSUER=${server.url("/oidc")}`, "--now", String(NOW + 10)]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.expectedError).toMatchObject({ code: "Unauthenticated", message: "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired." });
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("token-expired");
  });

  it("takes env values from --env-file and the token from stdin", async () => {
    const envFile = file("dev.env", `# deployment env\nexport ISSUER="${server.url("/oidc")}"\n`);
    const t = await sign({ iss: server.url("/oidc"), sub: "u", aud: "convex", iat: NOW - 60, exp: NOW + 3600 });
    const r = await runCli(["check", "-", "--config", oidcConfig, "--env-file", envFile, "--now", String(NOW)], `${t}\n`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ACCEPTED/);
  });

  it("verifies a customJwt token against --jwks FILE instead of the provider's unreachable URL", async () => {
    const t = await sign({ iss: "https://auth.example.com", sub: "u", aud: "app", iat: NOW - 60, exp: NOW + 3600 });
    const ok = await runCli(["check", t, "--json", "--config", customConfig, "--jwks", jwksFile, "--now", String(NOW)]);
    expect(JSON.parse(ok.stdout).verdict).toBe("accepted");
    const other = await generateKeyPair("RS256");
    const forged = await new SignJWT({ iss: "https://auth.example.com", sub: "u", aud: "app", iat: NOW - 60, exp: NOW + 3600 })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .sign(other.privateKey);
    const bad = await runCli(["check", forged, "--json", "--config", customConfig, "--jwks", jwksFile, "--now", String(NOW)]);
    expect(bad.code).toBe(1);
    const j = JSON.parse(bad.stdout);
    expect(j.expectedError.message).toBe("Could not decode token. The JWT's 'kid' (key ID) header is 'k1', does this key match any key in the provider's JWKS?");
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("signature-invalid");
  });

  it("without --config, a token any provider could accept is unknown: exit 3 ('could not tell'), no error", async () => {
    const t = await sign({ iss: "https://x.example.com", sub: "u", iat: NOW, exp: NOW + 3600 });
    const r = await runCli(["check", t, "--json", "--now", String(NOW)]);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe("unknown");
    expect(j.expectedError).toBeNull();
    expect(j.alternatives).toEqual([]);
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("check-incomplete");
    expect(j.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
  });

  it("without --config, a token expired an hour ago is rejected by every provider: exit 1, both paths' texts", async () => {
    const t = await sign({ iss: "https://x.example.com", sub: "u", aud: "convex", iat: NOW - 7200, exp: NOW - 3720 });
    const r = await runCli(["check", t, "--now", String(NOW)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Verdict {4}REJECTED/);
    expect(r.stdout).toContain("Backend    depends on the provider's type (dev deployment text)");
    expect(r.stdout).toContain("OIDC provider: 401 Unauthenticated — Could not verify OIDC token claim.");
    expect(r.stdout).toContain("customJwt provider: 401 InvalidAuthHeader — Could not validate token: Token expired 3720 seconds ago");
    expect(r.stdout).toContain("exp 2027-01-15T06:58:00Z, 1 h 2 min ago");
    expect(r.stdout).toMatch(/token-expired {2}OIDC provider: The token expired 2027-01-15T06:58:00Z, 1 h 2 min ago;/);
    expect(r.stdout).toContain("Findings  1 error, 1 info");
    expect(r.stdout).not.toMatch(/\b1796|\b1800000000\b/);
    const j = JSON.parse((await runCli(["check", t, "--json", "--now", String(NOW)])).stdout);
    expect(j.verdict).toBe("rejected");
    expect(j.alternatives.map((a: { path: string; error: { message: string } }) => [a.path, a.error.message])).toEqual([
      ["oidc", "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."],
      ["customJwt", "Could not validate token: Token expired 3720 seconds ago"],
    ]);
  });

  it("without --config, an HS256 token is rejected (exit 1)", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!");
    const t = await new SignJWT({ iss: "https://x.example.com", sub: "u", aud: "convex", iat: NOW, exp: NOW + 3600 }).setProtectedHeader({ alg: "HS256", kid: "s" }).sign(secret);
    const r = await runCli(["check", t, "--json", "--now", String(NOW)]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe("rejected");
    expect(j.findings.map((f: { id: string }) => f.id)).toContain("hs-symmetric");
  });

  it("reports a non-JWT string as not-a-jwt with the backend's parse error (exit 1)", async () => {
    const r = await runCli(["check", "not-a-token-at-all", "--json", "--config", customConfig]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.expectedError.message).toBe(
      "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.",
    );
    expect(j.findings[0].id).toBe("not-a-jwt");
  });
});

describe("bad input: one line on stderr, exit 2, never a stack trace", () => {
  const cases: [string, () => [string[], string?], RegExp][] = [
    ["an empty token", () => [["check", ""]], /^convex-auth-inspector: the token is empty$/],
    ["an empty stdin", () => [["check", "-"], ""], /^convex-auth-inspector: no token on stdin/],
    ["a 5 MB token", () => [["check", "-"], "eyJ" + "a".repeat(5 * 1024 * 1024)], /over 1\.0 MiB; a Convex token is a few KB$/],
    ["binary garbage", () => [["check", "-"], "\u0000\u0001\u0002garbage\u00ff"], /^convex-auth-inspector: the token is not text: a NUL byte at offset 0$/],
    ["a missing config file", () => [["check", "a.b.c", "--config", join(dir, "nope.ts")]], /--config .*nope\.ts: no such file$/],
    ["a directory as config", () => [["check", "a.b.c", "--config", dir]], /is a directory, not a file$/],
    ["a config with a syntax error", () => [["check", "a.b.c", "--config", file("broken.ts", "export default {\n  providers: [ { domain: 'x' applicationID: 'y' } ]\n}\n")]], /broken\.ts:2:\d+: /],
    ["an unknown helper call", () => [["check", "a.b.c", "--config", file("helper.ts", "export default { providers: [ makeProviders() ] };\n")]], /helper\.ts:1:\d+: .*makeProviders/],
    ["an unknown option", () => [["check", "a.b.c", "--bogus"]], /unknown option --bogus \(a value starting with "-" goes after --, as in: check -- --bogus\)/],
    ["a bad --now", () => [["check", "a.b.c", "--now", "yesterday"]], /--now must be unix seconds, got "yesterday"/],
    ["a bad --env", () => [["check", "a.b.c", "--env", "NOVALUE"]], /--env must be NAME=VALUE, got "NOVALUE"/],
    ["an unknown command", () => [["inspect", "x"]], /unknown command "inspect"/],
  ];
  for (const [name, make, expected] of cases) {
    it(name, async () => {
      const [args, stdin] = make();
      const r = await runCli(args, stdin);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const first = r.stderr.split("\n")[0]!;
      expect(first).toMatch(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
