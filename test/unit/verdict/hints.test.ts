import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identifyIssuer } from "../../../src/core/verdict/hints";
import { parseAuthConfig } from "../../../src/core/config/parse";
import { predictVerdict } from "../../../src/core/verdict/predict";
import { customJwt, denyAll, ids, keySource, makeKey, NOW, oidc, predict, serveOidc, sign, startServer, type TestKey, type TestServer } from "./helpers";

let srv: TestServer;
let rsa: TestKey;
let rsa2: TestKey;
beforeAll(async () => {
  srv = await startServer();
  [rsa, rsa2] = await Promise.all([makeKey("RS256", "k1"), makeKey("RS256", "k2")]);
  srv.json("/jwks.json", { keys: [rsa.publicJwk] });
});
afterAll(() => srv.close());

const offline = { keys: keySource(denyAll()) };

describe("issuer identification", () => {
  it("recognises the providers by iss", () => {
    expect(identifyIssuer("https://verb-noun-00.clerk.accounts.dev")).toBe("clerk");
    expect(identifyIssuer("https://clerk.example.com")).toBe("clerk");
    expect(identifyIssuer("https://api.workos.com/user_management/client_X")).toBe("workos");
    expect(identifyIssuer("https://tenant.us.auth0.com/")).toBe("auth0");
    expect(identifyIssuer("https://happy-animal-123.convex.site")).toBe("convex-site");
    expect(identifyIssuer("https://example.com")).toBeNull();
  });
});

describe("Clerk", () => {
  const CLERK = "https://verb-noun-00.clerk.accounts.dev";
  it("a session token (no convex template: azp/sid, no aud) → NoAuthProvider + hint-clerk-template", async () => {
    const token = await sign(rsa, { iss: CLERK, sub: "user_1", azp: "http://localhost:3000", sid: "sess_1", iat: NOW, exp: NOW + 60 });
    const v = await predict(token, [oidc(CLERK, "convex")], offline);
    expect(v.expectedError?.code).toBe("NoAuthProvider");
    expect(ids(v)).toEqual(expect.arrayContaining(["aud-missing", "hint-clerk-template"]));
    expect(v.findings.find((f) => f.id === "hint-clerk-template")?.message).toContain("session token");
  });
  it("the fix offers both Clerk routes and quotes the env name and value the user's own config reads", async () => {
    const { providers } = parseAuthConfig(`export default { providers: [{ domain: process.env.MY_CLERK_ISSUER, applicationID: "convex" }] };`, {
      env: { MY_CLERK_ISSUER: CLERK },
    });
    const token = await sign(rsa, { iss: CLERK, sub: "user_1", azp: "http://localhost:3000", sid: "sess_1", iat: NOW, exp: NOW + 60 });
    const fix = (await predict(token, providers, offline)).findings.find((f) => f.id === "hint-clerk-template")!.fix;
    expect(fix).toContain("Convex integration");
    expect(fix).toContain('session tokens then carry aud "convex"');
    expect(fix).toContain("JWT template named exactly `convex`");
    expect(fix).toContain(`process.env.MY_CLERK_ISSUER (= ${CLERK}), which matches this token's iss`);
    expect(fix).not.toContain("CLERK_JWT_ISSUER_DOMAIN");
    // A literal domain is quoted as written; with no config the fix says what the domain must be.
    const literal = (await predict(token, [oidc(CLERK, "convex")], offline)).findings.find((f) => f.id === "hint-clerk-template")!.fix;
    expect(literal).toContain(`names this provider's \`domain\` as ${CLERK}`);
    const none = (await predictVerdict(token, null, { now: NOW, keys: null })).findings.find((f) => f.id === "hint-clerk-template")!.fix;
    expect(none).toContain(`\`domain\` = your Clerk Frontend API URL (this token's iss, ${CLERK})`);
    expect(none).not.toContain("CLERK_JWT_ISSUER_DOMAIN");
  });
  it("a convex-template token gets no Clerk hint", async () => {
    const token = await sign(rsa, { iss: CLERK, sub: "user_1", aud: "convex", azp: "x", iat: NOW, exp: NOW + 60 });
    const v = await predict(token, [oidc(CLERK, "convex")], offline);
    expect(v.verdict).toBe("unknown");
    expect(ids(v)).not.toContain("hint-clerk-template");
  });
});

describe("WorkOS", () => {
  const CLIENT = "client_01ABC";
  // The documented pair, pointed at a local JWKS so nothing leaves the machine.
  const providers = () => [
    customJwt("https://api.workos.com/", `${srv.url}/jwks.json`, { applicationID: CLIENT, index: 0 }),
    customJwt(`https://api.workos.com/user_management/${CLIENT}`, `${srv.url}/jwks.json`, { index: 1 }),
  ];
  it("shared issuer without aud → NoAuthProvider + hint-workos-aud", async () => {
    const v = await predict(await sign(rsa, { iss: "https://api.workos.com", sub: "user_1", iat: NOW, exp: NOW + 60 }), providers());
    expect(v.expectedError?.code).toBe("NoAuthProvider");
    const hint = v.findings.find((f) => f.id === "hint-workos-aud");
    expect(hint?.message).toContain("shared");
    expect(hint?.message).toContain("missing");
  });
  it("the fix quotes the client ID and the env name the user's config reads it from", async () => {
    const { providers: parsed } = parseAuthConfig(
      `const clientId = process.env.MY_WORKOS_CLIENT;
       export default { providers: [
         { type: "customJwt", issuer: "https://api.workos.com/", algorithm: "RS256", jwks: "${srv.url}/jwks.json", applicationID: clientId },
         { type: "customJwt", issuer: \`https://api.workos.com/user_management/\${clientId}\`, algorithm: "RS256", jwks: "${srv.url}/jwks.json" },
       ] };`,
      { env: { MY_WORKOS_CLIENT: CLIENT } },
    );
    const v = await predict(await sign(rsa, { iss: "https://api.workos.com", sub: "user_1", iat: NOW, exp: NOW + 60 }), parsed);
    const fix = v.findings.find((f) => f.id === "hint-workos-aud")?.fix;
    expect(fix).toContain(`the client ID "${CLIENT}" (convex/auth.config.ts reads it from process.env.MY_WORKOS_CLIENT)`);
  });
  it("shared issuer with aud = client ID is accepted (no hint)", async () => {
    const v = await predict(await sign(rsa, { iss: "https://api.workos.com", sub: "user_1", aud: CLIENT, iat: NOW, exp: NOW + 60 }), providers());
    expect(v.verdict).toBe("accepted");
    expect(ids(v)).not.toContain("hint-workos-aud");
  });
  it("user_management issuer matches whatever its aud; when rejected the hint names the format", async () => {
    const ok = await predict(await sign(rsa, { iss: `https://api.workos.com/user_management/${CLIENT}`, sub: "u", iat: NOW, exp: NOW + 60 }), providers());
    expect(ok.verdict).toBe("accepted");
    const expired = await predict(
      await sign(rsa, { iss: `https://api.workos.com/user_management/${CLIENT}`, sub: "u", aud: "x", iat: NOW - 600, exp: NOW - 60 }),
      providers(),
    );
    expect(expired.expectedError?.message).toBe("Could not validate token: Token expired 60 seconds ago");
    expect(expired.findings.find((f) => f.id === "hint-workos-aud")?.message).toContain("user_management");
  });
});

describe("Auth0", () => {
  const AUTH0 = "https://tenant.us.auth0.com/";
  it("an access token (at+jwt, scope, API audience) → hint-auth0-id-token", async () => {
    const token = await sign(
      rsa,
      { iss: AUTH0, sub: "auth0|1", aud: ["https://api.example.com", `${AUTH0}userinfo`], scope: "openid profile", iat: NOW, exp: NOW + 60 },
      { header: { typ: "at+jwt" } },
    );
    const v = await predict(token, [oidc(AUTH0, "CLIENT_ID")], offline);
    expect(v.expectedError?.code).toBe("NoAuthProvider");
    const hint = v.findings.find((f) => f.id === "hint-auth0-id-token");
    expect(hint?.message).toContain("access token");
    expect(hint?.message).toContain("at+jwt");
  });
  it("an access token whose aud also holds the client ID fails OIDC verification, with the hint", async () => {
    const token = await sign(rsa, { iss: AUTH0, sub: "auth0|1", aud: ["CLIENT_ID", "https://api.example.com"], scope: "openid", iat: NOW, exp: NOW + 60 }, { header: { typ: "at+jwt" } });
    const v = await predict(token, [oidc(AUTH0, "CLIENT_ID")], offline);
    expect(v.verdict).toBe("rejected");
    expect(ids(v)).toEqual(expect.arrayContaining(["typ-at-jwt", "oidc-extra-audience", "hint-auth0-id-token", "check-incomplete"]));
  });
  it("the ID token gets no hint", async () => {
    const v = await predict(await sign(rsa, { iss: AUTH0, sub: "auth0|1", aud: "CLIENT_ID", iat: NOW, exp: NOW + 60 }), [oidc(AUTH0, "CLIENT_ID")], offline);
    expect(v.verdict).toBe("unknown");
    expect(ids(v)).not.toContain("hint-auth0-id-token");
  });
});

describe("Convex Auth and Better Auth (self-hosted site URL on 127.0.0.1)", () => {
  it("Convex Auth: kid-less token, two RSA keys after a rotation → ambiguous + hint-convex-auth", async () => {
    const site = await startServer();
    try {
      const iss = serveOidc(site, [rsa.publicJwk, rsa2.publicJwk]);
      const token = await sign(rsa, { iss, sub: "user123|session456", aud: "convex", iat: NOW, exp: NOW + 3600 }, { header: { kid: null } });
      const v = await predict(token, [oidc(iss, "convex")]);
      expect(v.verdict).toBe("rejected");
      expect(ids(v)).toEqual(expect.arrayContaining(["kid-missing", "hint-convex-auth"]));
    } finally {
      await site.close();
    }
  });
  it("Convex Auth on a convex.site issuer that is not configured → hint-convex-auth", async () => {
    const iss = "https://happy-animal-123.convex.site";
    const token = await sign(rsa, { iss, sub: "user123|session456", aud: "convex", iat: NOW, exp: NOW + 3600 }, { header: { kid: null } });
    const v = await predict(token, [oidc("https://other-animal-456.convex.site", "convex")], offline);
    expect(ids(v)).toEqual(expect.arrayContaining(["iss-mismatch", "hint-convex-auth"]));
  });
  it("Better Auth: customJwt on the site URL with a wrong key → hint-better-auth", async () => {
    const site = await startServer();
    try {
      site.json("/api/auth/convex/jwks", { keys: [rsa.publicJwk] });
      const provider = customJwt(site.url, `${site.url}/api/auth/convex/jwks`, { applicationID: "convex" });
      const good = await predict(await sign(rsa, { iss: site.url, sub: "u1", aud: "convex", iat: NOW, exp: NOW + 900 }), [provider]);
      expect(good.verdict).toBe("accepted");
      expect(ids(good)).not.toContain("hint-better-auth");
      const bad = await predict(await sign(rsa2, { iss: site.url, sub: "u1", aud: "convex", iat: NOW, exp: NOW + 900 }, { header: { kid: "k1" } }), [provider]);
      expect(ids(bad)).toEqual(expect.arrayContaining(["signature-invalid", "hint-better-auth"]));
    } finally {
      await site.close();
    }
  });
  it("Better Auth on convex.site with the wrong aud → NoAuthProvider + hint-better-auth", async () => {
    const iss = "https://happy-animal-123.convex.site";
    const provider = customJwt(iss, `${iss}/api/auth/convex/jwks`, { applicationID: "convex" });
    const v = await predict(await sign(rsa, { iss, sub: "u1", aud: "other", iat: NOW, exp: NOW + 900 }), [provider], offline);
    expect(ids(v)).toEqual(expect.arrayContaining(["aud-mismatch", "hint-better-auth"]));
  });
});
