import { describe, expect, it } from "vitest";
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { parseAuthConfig } from "../../../src/core/config/parse";
import { fixture } from "./read-fixture";

const SITE = "https://happy-animal-123.convex.site";

describe("Better Auth getAuthConfigProvider()", () => {
  it("default: one customJwt provider on CONVEX_SITE_URL with the /api/auth JWKS route", () => {
    const r = parseAuthConfig(fixture("better-auth.auth.config.ts"), { env: { CONVEX_SITE_URL: SITE } });
    expect(r.findings).toEqual([]);
    expect(r.providers).toEqual([
      {
        type: "customJwt",
        issuer: SITE,
        applicationID: "convex",
        algorithm: "RS256",
        jwks: `${SITE}/api/auth/convex/jwks`,
        index: 0,
        envSources: { issuer: ["CONVEX_SITE_URL"], jwks: ["CONVEX_SITE_URL"] },
      },
    ]);
  });

  it("basePath changes the JWKS route; without CONVEX_SITE_URL the placeholder shows", () => {
    const r = parseAuthConfig(
      `import { getAuthConfigProvider } from "@convex-dev/better-auth/auth-config";
       export default { providers: [getAuthConfigProvider({ basePath: "/custom" })] };`,
    );
    expect(r.unresolvedEnv).toEqual(["CONVEX_SITE_URL"]);
    expect(r.providers[0]).toMatchObject({
      issuer: "${process.env.CONVEX_SITE_URL}",
      jwks: "${process.env.CONVEX_SITE_URL}/custom/convex/jwks",
      unresolvedEnv: ["CONVEX_SITE_URL"],
    });
  });

  it("static jwks: a data: URL of the public keys (kid = row id), which verifies a real token", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const rows = [
      {
        id: "row-key-1",
        publicKey: JSON.stringify(await exportJWK(publicKey)),
        privateKey: JSON.stringify(await exportJWK(privateKey)),
        createdAt: 1704067200000,
        alg: "RS256",
      },
    ];
    const r = parseAuthConfig(fixture("better-auth-static-jwks.auth.config.ts"), {
      env: { CONVEX_SITE_URL: SITE, JWKS: JSON.stringify(rows) },
    });
    expect(r.findings).toEqual([]);
    const p = r.providers[0];
    if (p?.type !== "customJwt") throw new Error("expected a customJwt provider");
    const prefix = "data:text/plain;charset=utf-8;base64,";
    expect(p.jwks?.startsWith(prefix)).toBe(true);
    const jwks = JSON.parse(atob((p.jwks as string).slice(prefix.length))) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: "RS256", kty: "RSA", kid: "row-key-1" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const privateD = (JSON.parse(rows[0]?.privateKey as string) as { d: string }).d;
    expect(JSON.stringify(jwks)).not.toContain(privateD);
    // The data URL is a usable JWKS: a token signed with the row's private key verifies against it.
    const token = await new SignJWT({ sub: "u" })
      .setProtectedHeader({ alg: "RS256", kid: "row-key-1" })
      .setIssuer(SITE)
      .setAudience("convex")
      .setExpirationTime("1h")
      .sign(privateKey);
    const verified = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: SITE, audience: "convex" });
    expect(verified.payload.sub).toBe("u");
  });

  it("static jwks: a row without alg gets EdDSA (as the helper does)", async () => {
    const { publicKey } = await generateKeyPair("EdDSA", { extractable: true });
    const rows = [{ id: "ed", publicKey: JSON.stringify(await exportJWK(publicKey)), privateKey: "{}", createdAt: 0 }];
    const r = parseAuthConfig(fixture("better-auth-static-jwks.auth.config.ts"), { env: { CONVEX_SITE_URL: SITE, JWKS: JSON.stringify(rows) } });
    const p = r.providers[0];
    if (p?.type !== "customJwt") throw new Error("expected customJwt");
    const jwks = JSON.parse(atob((p.jwks as string).split(",")[1] as string)) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys[0]).toMatchObject({ alg: "EdDSA", kty: "OKP", crv: "Ed25519", kid: "ed" });
  });

  it("static jwks that is not JSON: a located config-unreadable finding", () => {
    const r = parseAuthConfig(fixture("better-auth-static-jwks.auth.config.ts"), {
      filename: "auth.config.ts",
      env: { CONVEX_SITE_URL: SITE, JWKS: "not json" },
    });
    expect(r.providers).toEqual([]);
    expect(r.findings.map((f) => f.id)).toEqual(["config-unreadable"]);
    expect(r.findings[0]?.message).toMatch(/^auth\.config\.ts:6:15: getAuthConfigProvider\(\{ jwks \}\) cannot read the JWKS value/);
  });

  it("static jwks from an unset JWKS variable keeps a placeholder", () => {
    const r = parseAuthConfig(fixture("better-auth-static-jwks.auth.config.ts"), { env: { CONVEX_SITE_URL: SITE } });
    expect(r.unresolvedEnv).toEqual(["JWKS"]);
    expect(r.providers[0]).toMatchObject({ jwks: "data:text/plain;charset=utf-8;base64,${process.env.JWKS}" });
  });
});

describe("WorkOS authKit.getAuthConfigProviders()", () => {
  it("expands to the two customJwt providers, client ID from WORKOS_CLIENT_ID", () => {
    const r = parseAuthConfig(fixture("workos.auth.config.ts"), { env: { WORKOS_CLIENT_ID: "client_01ABC" } });
    // The user_management issuer is specific to this client: no applicationID there is worth an info, not a warning.
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([["config-no-application-id", "info"]]);
    expect(r.findings[0]?.evidence?.provider).toBe(1);
    // Stored order: the provider without applicationID comes first (None < Some), as in authkit-tanstack-start#45.
    expect(r.providers).toEqual([
      {
        type: "customJwt",
        issuer: "https://api.workos.com/user_management/client_01ABC",
        algorithm: "RS256",
        jwks: "https://api.workos.com/sso/jwks/client_01ABC",
        index: 1,
        envSources: { issuer: ["WORKOS_CLIENT_ID"], jwks: ["WORKOS_CLIENT_ID"] },
      },
      {
        type: "customJwt",
        issuer: "https://api.workos.com/",
        algorithm: "RS256",
        jwks: "https://api.workos.com/sso/jwks/client_01ABC",
        applicationID: "client_01ABC",
        index: 0,
        envSources: { jwks: ["WORKOS_CLIENT_ID"], applicationID: ["WORKOS_CLIENT_ID"] },
      },
    ]);
  });

  it("custom apiHostname and clientId, spread into providers next to another entry", () => {
    const r = parseAuthConfig(fixture("workos-custom-host.auth.config.ts"), { env: { EXTRA_DOMAIN: "extra.example.com" } });
    expect(r.unresolvedEnv).toEqual([]);
    expect(r.providers.map((p) => (p.type === "oidc" ? p.domain : p.issuer))).toEqual([
      "https://extra.example.com",
      "https://auth.example.com/user_management/client_CUSTOM",
      "https://auth.example.com/",
    ]);
    expect(r.providers.filter((p) => p.type === "customJwt").map((p) => p.type === "customJwt" && p.jwks)).toEqual([
      "https://api.workos.com/sso/jwks/client_CUSTOM",
      "https://api.workos.com/sso/jwks/client_CUSTOM",
    ]);
  });

  it("an AuthKit instance imported from another file is assumed to use the defaults", () => {
    const r = parseAuthConfig(`import { authKit } from "./auth";\nexport default { providers: authKit.getAuthConfigProviders() };`, {
      env: { WORKOS_CLIENT_ID: "client_X" },
    });
    expect(r.providers).toHaveLength(2);
    expect(r.providers[1]).toMatchObject({ issuer: "https://api.workos.com/", applicationID: "client_X" });
  });

  it("the hand-written WorkOS config gives the same providers as the helper", () => {
    const env = { WORKOS_CLIENT_ID: "client_01ABC" };
    const manual = parseAuthConfig(fixture("custom-jwt-manual.auth.config.ts"), { env });
    const helper = parseAuthConfig(fixture("workos.auth.config.ts"), { env });
    expect(manual.providers).toEqual(helper.providers);
  });
});
