/**
 * `check` where this machine's network is not the backend's: unreachable issuers (a .invalid host, a refused
 * loopback port) are "not checked from here" (exit 3) while token-only checks still decide; an HTTP answer from
 * the issuer (404) IS the backend's verdict; --offline, --jwks for OIDC, --discovery FILE|URL|skip.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { buildCli, runCli } from "./run";
import { json, reply, startServer, type TestServer } from "../keys/server";

const dir = mkdtempSync(join(tmpdir(), "cai-net-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const NOW = 1_800_000_000;
const FAR = "https://issuer.does-not-exist.invalid";
const OIDC_VERIFY = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.";

let server: TestServer;
let deadPort: string;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let config: string;
let jwksFile: string;
let discoveryFile: string;

interface Json {
  verdict: string;
  expectedError: { code: string; message: string } | null;
  findings: { id: string; severity: string; message: string }[];
}

const sign = (claims: Record<string, unknown>, key = rsa.privateKey) =>
  new SignJWT({ sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600, ...claims }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(key);

async function check(token: string, issuer: string, ...extra: string[]) {
  const r = await runCli(["check", token, "--json", "--config", config, "--env", `ISSUER=${issuer}`, "--now", String(NOW), ...extra]);
  expect(r.stderr).toBe("");
  return { code: r.code, j: JSON.parse(r.stdout) as Json };
}
const note = (j: Json) => j.findings.find((f) => f.id === "check-incomplete")?.message ?? "";
const errors = (j: Json) => j.findings.filter((f) => f.severity === "error").map((f) => f.id);

beforeAll(async () => {
  buildCli();
  rsa = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = await startServer();
  server.route("/oidc/.well-known/openid-configuration", json({ issuer: server.url("/oidc"), jwks_uri: server.url("/oidc/jwks") }));
  server.route("/oidc/jwks", json({ keys: [jwk] }));
  server.route("/missing/.well-known/openid-configuration", reply(404, { "content-type": "text/plain" }, "not here"));
  const closed = await startServer();
  deadPort = closed.origin;
  await closed.close();
  config = file("auth.config.ts", `export default { providers: [{ domain: process.env.ISSUER, applicationID: "convex" }] };\n`);
  jwksFile = file("jwks.json", JSON.stringify({ keys: [jwk] }));
  discoveryFile = file("discovery.json", JSON.stringify({ issuer: FAR, jwks_uri: `${FAR}/jwks` }));
});
afterAll(() => server.close());

describe("an issuer this machine cannot reach", () => {
  it("a .invalid host: unknown, exit 3, saying what could not be reached from here and why", async () => {
    const { code, j } = await check(await sign({ iss: FAR }), FAR);
    expect(code).toBe(3);
    expect(j.verdict).toBe("unknown");
    expect(j.expectedError).toBeNull();
    expect(errors(j)).toEqual([]);
    expect(note(j)).toContain(`${FAR}/.well-known/openid-configuration could not be reached from this machine: DNS lookup failed here`);
    expect(note(j)).toContain("this machine's network is not the backend's");
  });

  it("a refused loopback port: unknown, exit 3", async () => {
    const { code, j } = await check(await sign({ iss: deadPort }), deadPort);
    expect(code).toBe(3);
    expect(note(j)).toContain("the connection was refused");
  });

  it("an expired token is still rejected (exit 1), the expiry first, with the OIDC text", async () => {
    const { code, j } = await check(await sign({ iss: FAR, exp: NOW - 3600 }), FAR);
    expect(code).toBe(1);
    expect(j.verdict).toBe("rejected");
    expect(j.expectedError?.message).toBe(OIDC_VERIFY);
    expect(j.findings[0]?.id).toBe("token-expired");
    expect(note(j)).toMatch(/assumes those steps pass/);
  });

  it("a loopback issuer answering 404 is the backend's verdict: AuthProviderDiscoveryFailed, exit 1", async () => {
    const iss = server.url("/missing");
    const { code, j } = await check(await sign({ iss }), iss);
    expect(code).toBe(1);
    expect(j.expectedError).toMatchObject({ code: "AuthProviderDiscoveryFailed", message: `Auth provider discovery of ${iss} failed: 404 Not Found not here` });
    expect(errors(j)).toEqual(["discovery-failed"]);
  });
});

describe("--offline, --jwks and --discovery", () => {
  it("--offline fetches nothing: a reachable issuer becomes unknown (exit 3); an expired token stays rejected", async () => {
    const iss = server.url("/oidc");
    const before = server.hits("/oidc/.well-known/openid-configuration") + server.hits("/oidc/jwks");
    const { code, j } = await check(await sign({ iss }), iss, "--offline");
    expect(code).toBe(3);
    expect(note(j)).toContain("--offline: nothing is fetched");
    const expired = await check(await sign({ iss, exp: NOW - 60 }), iss, "--offline");
    expect(expired.code).toBe(1);
    expect(server.hits("/oidc/.well-known/openid-configuration") + server.hits("/oidc/jwks")).toBe(before);
  });

  it("--offline with --discovery FILE and --jwks FILE decides everything: accepted, exit 0", async () => {
    const { code, j } = await check(await sign({ iss: FAR }), FAR, "--offline", "--discovery", discoveryFile, "--jwks", jwksFile);
    expect(code).toBe(0);
    expect(j.verdict).toBe("accepted");
  });

  it("--jwks FILE serves an OIDC provider too: the signature is checked even when discovery cannot be fetched", async () => {
    const forged = await sign({ iss: FAR }, (await generateKeyPair("RS256")).privateKey);
    const bad = await check(forged, FAR, "--jwks", jwksFile);
    expect(bad.code).toBe(1);
    expect(bad.j.expectedError?.message).toBe(OIDC_VERIFY);
    expect(errors(bad.j)).toEqual(["signature-invalid"]);
    const good = await check(await sign({ iss: FAR }), FAR, "--jwks", jwksFile);
    // Discovery (the issuer check) is still not made: unknown, not accepted.
    expect(good.code).toBe(3);
    expect(note(good.j)).toContain("discovery:");
  });

  it("--discovery skip: the issuer check becomes a not-checked note; --discovery URL reads that document", async () => {
    const skipped = await check(await sign({ iss: FAR }), FAR, "--discovery", "skip", "--jwks", jwksFile);
    expect(skipped.code).toBe(3);
    expect(note(skipped.j)).toContain("--discovery skip: no discovery document was read, so its issuer was not compared with the token's iss");
    const iss = server.url("/oidc");
    const viaUrl = await check(await sign({ iss }), iss, "--discovery", server.url("/oidc/.well-known/openid-configuration"));
    expect(viaUrl.code).toBe(0);
    // A discovery document naming another issuer: the backend's byte-for-byte check fails.
    const other = await check(await sign({ iss: server.url("/oidc") }), iss, "--discovery", discoveryFile, "--jwks", jwksFile);
    expect(other.code).toBe(1);
    expect(errors(other.j)).toEqual(["discovery-issuer-mismatch"]);
  });

  it("a --jwks or --discovery file that is not that document is bad input (exit 2, one line)", async () => {
    const cases: [string, string, RegExp][] = [
      ["--jwks", file("nojwks.json", `{"issuer":"x"}`), /--jwks .*nojwks\.json: not a JWKS/],
      ["--discovery", file("nodisc.json", `{"keys":[]}`), /--discovery .*nodisc\.json: not an OIDC discovery document/],
      ["--jwks", file("notjson.json", `keys`), /--jwks .*notjson\.json: not JSON/],
    ];
    for (const [flag, path, expected] of cases) {
      const r = await runCli(["check", "a.b.c", flag, path]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr.trim(), flag).toMatch(expected);
    }
  });
});
