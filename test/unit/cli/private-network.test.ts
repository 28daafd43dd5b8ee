/**
 * `--allow-private-network`: the CLI fetches what the user named (config, --jwks) wherever it is, but follows a
 * discovery jwks_uri to a loopback / private address on another host only with the flag, and its
 * check-incomplete finding names the flag. A real server counts the requests; the token is signed with jose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { parseCliArgs, USAGE } from "../../../src/cli/args";
import { buildCli, runCli } from "./run";
import { json, startServer, type TestServer } from "../keys/server";

const NOW = 1_800_000_000;
let server: TestServer;
let token = "";
let config = "";
/** The same loopback server under another host name (IPv4-mapped IPv6): a host the user did not name. */
let otherHostKeys = "";

beforeAll(async () => {
  buildCli();
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = await startServer();
  const iss = server.url("/idp");
  otherHostKeys = server.origin.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/idp/keys";
  server.route("/idp/.well-known/openid-configuration", json({ issuer: iss, jwks_uri: otherHostKeys }));
  server.route("/idp/keys", json({ keys: [jwk] }));
  token = await new SignJWT({ iss, sub: "u1", aud: "convex", iat: NOW - 60, exp: NOW + 3600 }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey);
  const dir = mkdtempSync(join(tmpdir(), "cai-pn-"));
  config = join(dir, "auth.config.json");
  writeFileSync(config, JSON.stringify({ providers: [{ domain: iss, applicationID: "convex" }] }));
});
afterAll(() => server.close());

describe("--allow-private-network", () => {
  it("is parsed, off by default, and documented in the usage", () => {
    expect(parseCliArgs(["check", "t"])).toMatchObject({ allowPrivateNetwork: false });
    expect(parseCliArgs(["check", "t", "--allow-private-network"])).toMatchObject({ allowPrivateNetwork: true });
    expect(USAGE).toContain("--allow-private-network");
  });

  it("without it, a jwks_uri on another loopback host is not requested: unknown, and the finding names the flag", async () => {
    const before = server.hits("/idp/keys");
    const r = await runCli(["check", token, "--config", config, "--now", String(NOW), "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { verdict: string; findings: { id: string; message: string }[] };
    expect(out.verdict).toBe("unknown");
    const f = out.findings.find((x) => x.id === "check-incomplete");
    expect(f?.message).toContain(otherHostKeys);
    expect(f?.message).toContain("pass --allow-private-network to fetch it");
    expect(server.hits("/idp/.well-known/openid-configuration")).toBeGreaterThan(0); // the issuer the user named
    expect(server.hits("/idp/keys")).toBe(before);
  });

  it("with it, the jwks_uri is fetched and the token is accepted", async () => {
    const before = server.hits("/idp/keys");
    const r = await runCli(["check", token, "--config", config, "--now", String(NOW), "--allow-private-network"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict {4}ACCEPTED/);
    expect(server.hits("/idp/keys")).toBe(before + 1);
  });

  it("a loopback --jwks URL the user gave is fetched without the flag (documented behaviour)", async () => {
    const before = server.hits("/idp/keys");
    const r = await runCli(["check", token, "--config", config, "--now", String(NOW), "--jwks", otherHostKeys]);
    expect(r.stdout).toMatch(/^Verdict {4}ACCEPTED/);
    expect(server.hits("/idp/keys")).toBe(before + 1);
  });
});
