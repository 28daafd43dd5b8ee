/**
 * No false alarms (issue 6.4): every recommended provider setup in reference auth-config-helpers.md, paired
 * with a token signed (jose) the way that vendor mints it, is accepted by `check --json` with zero warnings
 * and zero errors. Discovery and JWKS are served by a loopback issuer; WorkOS's JWKS lives at api.workos.com,
 * so its keys are supplied with --jwks (what a user without network access to WorkOS would do).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { buildCli, runCli } from "./run";
import { json, startServer, type TestServer } from "../keys/server";

const NOW = 1_800_000_000;
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cai-setups-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
}
async function key(alg: "RS256" | "ES256", extra: JWK = {}): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey: privateKey as CryptoKey, jwk: { ...(await exportJWK(publicKey)), ...extra } };
}
const mint = (k: Key, header: Record<string, unknown>, claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(k.privateKey);
const dataUrl = (value: unknown) => `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify(value)).toString("base64")}`;

let server: TestServer;
beforeAll(async () => {
  buildCli();
  server = await startServer();
});
afterAll(() => server.close());

interface Finding {
  id: string;
  severity: string;
  message: string;
}

/** Runs `check --json` and expects: accepted, exit 0, no warning and no error. Returns the JSON. */
async function expectClean(token: string, config: string, env: Record<string, string>, extra: string[] = []) {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
  const r = await runCli(["check", token, "--json", "--config", config, ...envArgs, "--now", String(NOW), ...extra]);
  expect(r.stderr).toBe("");
  const j = JSON.parse(r.stdout) as { verdict: string; findings: Finding[]; identity: Record<string, unknown> | null; provider: { index: number } };
  const loud = j.findings.filter((f) => f.severity !== "info").map((f) => `${f.severity} ${f.id}: ${f.message}`);
  expect(loud).toEqual([]);
  expect(j.verdict).toBe("accepted");
  expect(r.code).toBe(0);
  return j;
}

/** Serves OIDC discovery + JWKS under `prefix` on the loopback server; returns the issuer (= `prefix` URL + `slash`). */
function serveOidc(prefix: string, keys: JWK[], slash = ""): string {
  const issuer = server.url(prefix) + slash;
  server.route(`${prefix}/.well-known/openid-configuration`, json({ issuer, jwks_uri: server.url(`${prefix}/.well-known/jwks.json`) }));
  server.route(`${prefix}/.well-known/jwks.json`, json({ keys }));
  return issuer;
}

describe("recommended setups: accepted, zero warnings and errors (check --json)", () => {
  it("Clerk: a `convex` JWT template token, and a Convex-integration session token (aud convex)", async () => {
    const k = await key("RS256", { kid: "ins_2abc", alg: "RS256", use: "sig" });
    const iss = serveOidc("/clerk", [k.jwk]);
    const header = { alg: "RS256", kid: "ins_2abc", typ: "JWT" };
    const template = await mint(k, header, {
      aud: "convex", azp: "http://localhost:3000", exp: NOW + 60, iat: NOW - 5, iss, jti: "a1b2c3", nbf: NOW - 10, sub: "user_2abc",
      name: "Ada Lovelace", email: "ada@example.com", email_verified: true,
    });
    const session = await mint(k, header, {
      aud: "convex", azp: "http://localhost:3000", exp: NOW + 60, fva: [0, -1], iat: NOW - 5, iss, nbf: NOW - 10, sid: "sess_2abc", sub: "user_2abc", v: 2,
    });
    for (const token of [template, session]) {
      const j = await expectClean(token, fixture("clerk.auth.config.ts"), { CLERK_JWT_ISSUER_DOMAIN: iss });
      expect(j.identity?.tokenIdentifier).toBe(`${iss}|user_2abc`);
    }
  });

  it("WorkOS AuthKit's two-provider config (the helper and the hand-written pair), with both token kinds", async () => {
    const client = "client_01ABC";
    const k = await key("RS256", { kid: "sso_oidc_key_pair_01ABC", alg: "RS256", use: "sig" });
    const jwks = file("workos-jwks.json", JSON.stringify({ keys: [k.jwk] }));
    const header = { alg: "RS256", kid: "sso_oidc_key_pair_01ABC" };
    // AuthKit's access token: the user_management issuer, no aud.
    const accessToken = await mint(k, header, {
      iss: `https://api.workos.com/user_management/${client}`, sub: "user_01XYZ", sid: "session_01XYZ", jti: "01JTI", org_id: "org_01", role: "member",
      permissions: [], exp: NOW + 300, iat: NOW - 5,
    });
    // A JWT-template token on the shared issuer (no trailing slash), with aud = client ID.
    const templateToken = await mint(k, header, { iss: "https://api.workos.com", aud: client, sub: "user_01XYZ", exp: NOW + 300, iat: NOW - 5 });
    for (const config of ["workos.auth.config.ts", "custom-jwt-manual.auth.config.ts"]) {
      for (const token of [accessToken, templateToken]) {
        const j = await expectClean(token, fixture(config), { WORKOS_CLIENT_ID: client }, ["--jwks", jwks]);
        const note = j.findings.find((f) => f.id === "config-no-application-id");
        expect(note?.severity, config).toBe("info");
        expect(note?.message, config).toContain("already specific to one client");
      }
    }
  });

  it("Auth0: an OIDC ID token with aud = the client ID (iss with a trailing slash)", async () => {
    const k = await key("RS256", { kid: "auth0-kid-1", alg: "RS256", use: "sig" });
    const iss = serveOidc("/auth0", [k.jwk], "/");
    const token = await mint(k, { alg: "RS256", typ: "JWT", kid: "auth0-kid-1" }, {
      given_name: "Ada", family_name: "Lovelace", nickname: "ada", name: "Ada Lovelace", picture: "https://example.com/a.png",
      updated_at: "2026-01-01T00:00:00.000Z", email: "ada@example.com", email_verified: true, iss, aud: "Xy7AbCdEf0123", sub: "auth0|abc123",
      iat: NOW - 5, exp: NOW + 36000, sid: "sid-1", nonce: "n-1",
    });
    const j = await expectClean(token, fixture("auth0.auth.config.ts"), { AUTH0_DOMAIN: iss, AUTH0_CLIENT_ID: "Xy7AbCdEf0123" });
    expect(j.identity).toMatchObject({ email: "ada@example.com", emailVerified: true, updatedAt: "2026-01-01T00:00:00+00:00" });
  });

  it("Convex Auth: OIDC, RS256 with no kid and exactly one key", async () => {
    const k = await key("RS256", { use: "sig", alg: "RS256" });
    const site = serveOidc("/site", [k.jwk]);
    const token = await mint(k, { alg: "RS256" }, { sub: "k57abc|k97def", iat: NOW - 5, iss: site, aud: "convex", exp: NOW + 3600 });
    await expectClean(token, fixture("convex-auth.auth.config.js"), { CONVEX_SITE_URL: site });
  });

  it("Better Auth's helper: the /api/auth/convex/jwks URL form and the static JWKS data: URL form", async () => {
    const k = await key("RS256", { kid: "ba-row-1", alg: "RS256" });
    const site = server.url("/ba");
    server.route("/ba/api/auth/convex/jwks", json({ keys: [k.jwk] }));
    const claims = {
      name: "Ada", email: "ada@example.com", emailVerified: true, image: null, createdAt: "2026-01-01T00:00:00.000Z", sessionId: "sess-1",
      iat: NOW - 5, iss: site, aud: "convex", exp: NOW + 900, sub: "user-1",
    };
    const token = await mint(k, { alg: "RS256", kid: "ba-row-1" }, claims);
    await expectClean(token, fixture("better-auth.auth.config.ts"), { CONVEX_SITE_URL: site });

    // Static JWKS: the JWKS env var holds Better Auth's JWKS table rows; the helper turns them into a data: URL.
    const { kid: _kid, alg: _alg, ...bare } = k.jwk;
    const rows = [{ id: "ba-row-1", publicKey: JSON.stringify(bare), privateKey: "<encrypted>", createdAt: NOW * 1000, alg: "RS256" }];
    const j = await expectClean(token, fixture("better-auth-static-jwks.auth.config.ts"), { CONVEX_SITE_URL: site, JWKS: JSON.stringify(rows) });
    expect(j.identity?.["sessionId"]).toBe("sess-1");
  });

  it("plain customJwt with a static JWKS (data: URL and URL), RS256 and ES256", async () => {
    const rsa = await key("RS256", { kid: "k-rsa", alg: "RS256", use: "sig" });
    const iss = "https://auth.example.com";
    const token = await mint(rsa, { alg: "RS256", kid: "k-rsa", typ: "JWT" }, { iss, aud: "my-app", sub: "u-1", iat: NOW - 5, exp: NOW + 600 });
    await expectClean(token, fixture("custom-jwt-static.auth.config.ts"), { JWT_ISSUER: iss, JWT_JWKS: dataUrl({ keys: [rsa.jwk] }) });
    server.route("/static/jwks.json", json({ keys: [rsa.jwk] }));
    await expectClean(token, fixture("custom-jwt-static.auth.config.ts"), { JWT_ISSUER: iss, JWT_JWKS: server.url("/static/jwks.json") });

    const ec = await key("ES256", { kid: "k-ec" });
    const es = file(
      "es256.auth.config.ts",
      `export default { providers: [{ type: "customJwt", applicationID: "my-app", issuer: "${iss}", jwks: "${dataUrl({ keys: [ec.jwk] })}", algorithm: "ES256" }] };\n`,
    );
    await expectClean(await mint(ec, { alg: "ES256", kid: "k-ec" }, { iss, aud: "my-app", sub: "u-1", iat: NOW - 5, exp: NOW + 600 }), es, {});
  });
});
