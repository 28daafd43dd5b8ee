import { describe, expect, it } from "vitest";
import { SignJWT, UnsecuredJWT } from "jose";
import { predictVerdict } from "../../../src/core/verdict/predict";
import { TEXT } from "../../../src/core/verdict/messages";
import { ids, keySource, makeKey, NOW, sign, signHs256 } from "./helpers";

const ISS = "https://issuer.example.com";
const good = (over: Record<string, unknown> = {}) => ({ iss: ISS, sub: "user_1", aud: "convex", iat: NOW - 60, exp: NOW + 3600, ...over });
const none = (token: string) => predictVerdict(token, null, { now: NOW, keys: keySource() });
const decodeKid = (kid: string) => `Could not decode token. The JWT's 'kid' (key ID) header is '${kid}', does this key match any key in the provider's JWKS?`;

describe("predictVerdict with an unknown provider list (null)", () => {
  it("judges only the provider-independent steps and says the verdict is unknown", async () => {
    const key = await makeKey("RS256", "k1");
    const token = await sign(key, { iss: "https://verb-noun-00.clerk.accounts.dev", sub: "user_1", azp: "http://localhost:3000", sid: "sess_1", iat: NOW, exp: NOW + 60 });
    const v = await predictVerdict(token, null, { now: NOW, keys: keySource() });
    expect(v.verdict).toBe("unknown");
    expect(v.expectedError).toBeNull();
    expect(v.step).toBe("match");
    expect(ids(v)).toContain("check-incomplete");
    // The issuer still identifies the provider: the Clerk hint is worth showing before any config is given.
    expect(ids(v)).toContain("hint-clerk-template");
    expect(ids(v)).not.toContain("no-providers");
    expect(v.findings.every((f) => f.severity !== "error")).toBe(true);
  });

  it("still rejects what no provider list could save (an unparseable payload, no iss)", async () => {
    const garbage = await predictVerdict("a.b.c", null, { now: NOW, keys: null });
    expect(garbage.verdict).toBe("rejected");
    expect(ids(garbage)).toEqual(["not-a-jwt"]);
    const key = await makeKey("RS256", "k1");
    const noIss = await predictVerdict(await sign(key, { sub: "u", exp: NOW + 60 }), null, { now: NOW, keys: null });
    expect(noIss.verdict).toBe("rejected");
    expect(noIss.expectedError?.message).toBe(
      "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.",
    );
  });

  it("an empty list is not unknown: it is the backend's 'no providers configured'", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await predictVerdict(await sign(key, { iss: "https://a.example.com", sub: "u", exp: NOW + 60 }), [], { now: NOW, keys: null });
    expect(v.verdict).toBe("rejected");
    expect(v.expectedError?.message).toBe("No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.");
    expect(ids(v)).toContain("no-providers");
  });
});

describe("no provider list: rejected when every path that could apply rejects (reference §3.1, §3.2)", () => {
  it("a token past every leeway (an hour): both paths' texts, OIDC first", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await none(await sign(key, good({ exp: NOW - 3600, iat: NOW - 7200 })));
    expect(v.verdict).toBe("rejected");
    expect(v.provider).toBeNull();
    expect(v.alternatives).toEqual([
      { path: "oidc", error: expect.objectContaining({ code: "Unauthenticated", message: TEXT.oidcVerify }) },
      { path: "customJwt", error: expect.objectContaining({ code: "InvalidAuthHeader", message: "Could not validate token: Token expired 3600 seconds ago" }) },
    ]);
    expect(v.expectedError).toEqual(v.alternatives![0]!.error);
    const expired = v.findings.find((f) => f.id === "token-expired")!;
    expect(expired.severity).toBe("error");
    expect(expired.message).toMatch(/^OIDC provider: The token expired 2027-01-15T07:00:00Z, 1 h ago; .* customJwt provider: The token expired 2027-01-15T07:00:00Z, 1 h ago \(3600 s\)/);
    const note = v.findings.find((f) => f.id === "check-incomplete")!;
    expect(note.message).toContain(`OIDC provider: "${TEXT.oidcVerify}" / customJwt provider: "Could not validate token: Token expired 3600 seconds ago"`);
    expect(note.message).toContain("NoAuthProvider");
  });

  it("inside the customJwt leeway (3 s past exp) it depends on the provider: unknown", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await none(await sign(key, good({ exp: NOW - 3 })));
    expect(v.verdict).toBe("unknown");
    expect(v.findings.every((f) => f.severity !== "error")).toBe(true);
    expect(v.findings.find((f) => f.id === "check-incomplete")?.message).toMatch(/OIDC provider would reject it .*customJwt provider would accept/);
  });

  it("HS256: refused by both paths, each with its own text (dev and prod)", async () => {
    const token = await signHs256(good(), "hs-key");
    const v = await none(token);
    expect(v.verdict).toBe("rejected");
    expect(v.alternatives?.map((a) => a.error.message)).toEqual([TEXT.oidcVerify, decodeKid("hs-key")]);
    expect(ids(v)).toContain("hs-symmetric");
    const prod = await predictVerdict(token, null, { now: NOW, prod: true, keys: null });
    expect(prod.alternatives?.map((a) => a.error.message)).toEqual([TEXT.oidcVerify, TEXT.decodeKidProd]);
  });

  it("alg none, PS256, ES384: no path allows them", async () => {
    const unsigned = new UnsecuredJWT(good()).encode();
    expect((await none(unsigned)).verdict).toBe("rejected");
    for (const alg of ["PS256", "ES384"] as const) {
      const key = await makeKey(alg as "ES384", "k1");
      const v = await none(await sign(key, good()));
      expect(v.verdict, alg).toBe("rejected");
      expect(ids(v), alg).toContain("alg-unsupported");
      expect(v.alternatives?.map((a) => a.error.message), alg).toEqual([TEXT.oidcVerify, decodeKid("k1")]);
    }
  });

  it("ES256 and EdDSA each have a path that allows them: unknown", async () => {
    for (const alg of ["ES256", "EdDSA"] as const) {
      const key = await makeKey(alg, "k1");
      const v = await none(await sign(key, good()));
      expect(v.verdict, alg).toBe("unknown");
      expect(v.findings.every((f) => f.severity !== "error"), alg).toBe(true);
    }
  });

  it("missing sub or exp: both reject, with different texts", async () => {
    const key = await makeKey("RS256", "k1");
    for (const claim of ["sub", "exp"]) {
      const claims: Record<string, unknown> = good();
      delete claims[claim];
      const v = await none(await sign(key, claims));
      expect(v.verdict, claim).toBe("rejected");
      expect(v.alternatives?.map((a) => a.error.message), claim).toEqual([TEXT.oidcParse, TEXT.claimsMissing]);
      expect(ids(v), claim).toContain(`${claim}-missing`);
    }
  });

  it("no aud: no OIDC provider can match, so only the customJwt text applies", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await none(await sign(key, good({ aud: undefined, exp: NOW - 600 })));
    expect(v.verdict).toBe("rejected");
    expect(v.alternatives).toBeUndefined();
    expect(v.expectedError?.message).toBe("Could not validate token: Token expired 600 seconds ago");
    expect(v.findings.find((f) => f.id === "check-incomplete")?.message).toContain("No OIDC provider can match a token without aud");
  });

  it("two different audiences: every OIDC provider rejects (extra audience); customJwt decides", async () => {
    const key = await makeKey("RS256", "k1");
    expect((await none(await sign(key, good({ aud: ["convex", "other"] })))).verdict).toBe("unknown");
    const v = await none(await sign(key, good({ aud: ["convex", "other"], nbf: NOW + 600 })));
    expect(v.verdict).toBe("rejected");
    expect(v.alternatives?.map((a) => a.error.message)).toEqual([TEXT.oidcVerify, "Could not validate token: Token will be valid in 600 seconds"]);
  });

  it("no kid and expired: each path fails at its own first check, and each finding says which path it is for", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await none(await sign(key, good({ exp: NOW - 3600 }), { header: { kid: null } }));
    expect(v.verdict).toBe("rejected");
    expect(v.alternatives?.map((a) => a.error.message)).toEqual([TEXT.oidcVerify, TEXT.decodeNoKid]);
    expect(v.findings.find((f) => f.id === "token-expired")?.message).toMatch(/^OIDC provider: /);
    expect(v.findings.find((f) => f.id === "kid-missing")?.message).toMatch(/^customJwt provider: /);
  });

  it("what depends on the provider stays unknown: no kid, typ at+jwt, no iat, nbf ahead, an unknown kid", async () => {
    const key = await makeKey("RS256", "k1");
    const cases: [string, string][] = [
      ["no kid", await sign(key, good(), { header: { kid: null } })],
      ["typ at+jwt", await sign(key, good(), { header: { typ: "at+jwt" } })],
      ["no iat", await sign(key, good({ iat: undefined }))],
      ["nbf ahead", await sign(key, good({ nbf: NOW + 600 }))],
      ["signed by another key", await new SignJWT(good()).setProtectedHeader({ alg: "RS256", kid: "zz" }).sign((await makeKey("RS256", "zz")).privateKey)],
    ];
    for (const [name, token] of cases) {
      const v = await none(token);
      expect(v.verdict, name).toBe("unknown");
      expect(v.expectedError, name).toBeNull();
      expect(v.findings.every((f) => f.severity !== "error"), name).toBe(true);
    }
  });

  it("fetches nothing for an issuer no config names", async () => {
    // A key source that fails the test if called: the unknown-provider path must not use it.
    const trap = { discover: () => Promise.reject(new Error("fetched")), jwks: () => Promise.reject(new Error("fetched")) };
    const key = await makeKey("RS256", "k1");
    const v = await predictVerdict(await sign(key, good()), null, { now: NOW, keys: trap });
    expect(v.verdict).toBe("unknown");
    expect(JSON.stringify(v)).not.toContain("stopped unexpectedly");
  });
});

describe("a provider list with an unresolved process.env value", () => {
  it("still rejects what every provider rejects; otherwise unknown, naming the variable", async () => {
    const { parseAuthConfig } = await import("../../../src/core/config/parse");
    const { providers } = parseAuthConfig(`export default { providers: [{ domain: process.env.MY_ISSUER, applicationID: "convex" }] };`, { env: {} });
    const key = await makeKey("RS256", "k1");
    const ok = await predictVerdict(await sign(key, good()), providers, { now: NOW, keys: keySource() });
    expect(ok.verdict).toBe("unknown");
    expect(ok.findings[0]?.message).toContain("depends on process.env MY_ISSUER, which has no value here");
    const expired = await predictVerdict(await sign(key, good({ exp: NOW - 3600 })), providers, { now: NOW, keys: keySource() });
    expect(expired.verdict).toBe("rejected");
    expect(expired.findings[0]?.message).toContain("MY_ISSUER");
    // Only an OIDC provider could take it: the OIDC text alone, no customJwt alternative.
    expect(expired.alternatives).toBeUndefined();
    expect(expired.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(JSON.stringify(expired.findings)).not.toContain("customJwt");
    expect(expired.findings.find((f) => f.id === "check-incomplete" && f.message.startsWith("Which provider takes this token is not known"))).toBeDefined();
  });

  it("names both paths only when the list holds both types that could take the token", async () => {
    const { parseAuthConfig } = await import("../../../src/core/config/parse");
    const { providers } = parseAuthConfig(
      `export default { providers: [{ domain: process.env.MY_ISSUER, applicationID: "convex" }, { type: "customJwt", issuer: process.env.OTHER, jwks: "https://j.example.com/jwks", algorithm: "RS256" }] };`,
      { env: {} },
    );
    const key = await makeKey("RS256", "k1");
    const expired = await predictVerdict(await sign(key, good({ exp: NOW - 3600 })), providers, { now: NOW, keys: keySource() });
    expect(expired.verdict).toBe("rejected");
    expect(expired.alternatives?.map((a) => a.path)).toEqual(["oidc", "customJwt"]);
  });

  it("a provider whose applicationID rules the token out is not undecided (reference §2.1)", async () => {
    const { parseAuthConfig } = await import("../../../src/core/config/parse");
    const { providers } = parseAuthConfig(`export default { providers: [{ domain: process.env.MY_ISSUER, applicationID: "convex" }] };`, { env: {} });
    const key = await makeKey("RS256", "k1");
    // No aud: no OIDC provider can match, whatever MY_ISSUER is: the backend answers NoAuthProvider.
    const v = await predictVerdict(await sign(key, good({ aud: undefined })), providers, { now: NOW, keys: keySource() });
    expect(v.verdict).toBe("rejected");
    expect(v.expectedError?.code).toBe("NoAuthProvider");
    // Another audience than the applicationID: same.
    const w = await predictVerdict(await sign(key, good({ aud: "other" })), providers, { now: NOW, keys: keySource() });
    expect(w.expectedError?.code).toBe("NoAuthProvider");
  });
});
