import { beforeAll, describe, expect, it } from "vitest";
import { TEXT } from "../../../src/core/verdict/messages";
import { customJwt, ids, makeKey, NOW, oidc, predict, sign, type TestKey } from "./helpers";

let rsa: TestKey;
beforeAll(async () => {
  rsa = await makeKey("RS256", "k1");
});

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const unsigned = (payload: unknown, header: unknown = { alg: "RS256", kid: "k1" }) => `${b64(header)}.${b64(payload)}.c2ln`;

describe("steps 1–3: parse, iss, provider choice", () => {
  it("not a JWT → parse text", async () => {
    const v = await predict("not-a-token", [oidc("https://a.example.com", "app")]);
    expect(v.expectedError).toEqual({ code: "InvalidAuthHeader", message: TEXT.parsePayload, httpStatus: 401, errorCode: "Unauthenticated" });
    expect(ids(v)).toEqual(["not-a-jwt"]);
    expect(v.step).toBe("parse");
  });

  it("a payload that is not a JSON object → not-a-jwt", async () => {
    const v = await predict(`${b64({ alg: "RS256" })}.${b64("[1,2]")}.c2ln`, []);
    expect(v.expectedError?.message).toBe(TEXT.parsePayload);
    expect(ids(v)).toContain("not-a-jwt");
  });

  it("a registered claim with the wrong JSON type fails the payload parse", async () => {
    for (const payload of [{ iss: "https://a.example.com", exp: "1700000000" }, { iss: 5 }, { iss: "x", aud: [1] }, { iss: "x", iat: -1 }]) {
      const v = await predict(unsigned(payload), [oidc("https://a.example.com", "app")]);
      expect(v.expectedError?.message).toBe(TEXT.parsePayload);
      expect(ids(v)).toContain("not-a-jwt");
    }
  });

  it("a five-part JWE → jwe-token with the parse text", async () => {
    const jwe = `${b64({ alg: "RSA-OAEP", enc: "A256GCM" })}.a2V5.aXY.Y2lwaGVy.dGFn`;
    const v = await predict(jwe, [oidc("https://a.example.com", "app")]);
    expect(v.expectedError?.message).toBe(TEXT.parsePayload);
    expect(ids(v)).toEqual(["jwe-token"]);
  });

  it("no iss → iss-missing", async () => {
    const v = await predict(await sign(rsa, { sub: "u", exp: NOW + 60 }), [oidc("https://a.example.com", "app")]);
    expect(v.expectedError).toMatchObject({ code: "InvalidAuthHeader", message: TEXT.missingIss, httpStatus: 401 });
    expect(ids(v)).toEqual(["iss-missing"]);
  });

  it("no providers: the dev text says so; prod is the short text", async () => {
    const token = await sign(rsa, { iss: "https://a.example.com", sub: "u", aud: "app", exp: NOW + 60, iat: NOW });
    const dev = await predict(token, []);
    expect(dev.expectedError).toMatchObject({ code: "NoAuthProvider", message: TEXT.noProviderNone, httpStatus: 401 });
    expect(ids(dev)).toContain("no-providers");
    const prod = await predict(token, [], { prod: true });
    expect(prod.expectedError?.message).toBe("No auth provider found matching the given token");
  });

  it("the dev NoAuthProvider text lists providers in the given (stored) order", async () => {
    const token = await sign(rsa, { iss: "https://nomatch.example.com", sub: "u", aud: "app", exp: NOW + 60, iat: NOW });
    const providers = [
      oidc("https://a.example.com", "app", 1),
      customJwt("https://api.workos.com/user_management/client_X", "https://api.workos.com/sso/jwks/client_X", { index: 2 }),
      customJwt("https://api.workos.com/", "https://api.workos.com/sso/jwks/client_X", { applicationID: "client_X", index: 0 }),
    ];
    const v = await predict(token, providers);
    expect(v.expectedError?.message).toBe(
      "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=https://a.example.com, app_id=app), CustomJWT(issuer=https://api.workos.com/user_management/client_X, app_id=none), CustomJWT(issuer=https://api.workos.com/, app_id=client_X)]",
    );
    expect((await predict(token, providers, { prod: true })).expectedError?.message).toBe(TEXT.noProviderProd);
  });

  it("iss-mismatch names the closest configured issuer and the difference", async () => {
    const cases: [string, string, RegExp][] = [
      ["https://Auth.example.com", "https://auth.example.com", /letter case/],
      ["http://auth.example.com", "https://auth.example.com", /scheme/],
      ["https://auth.example.com:443", "https://auth.example.com", /port/],
      ["https://www.example.com", "https://example.com", /www/],
      ["https://auth.example.com/tenant", "https://auth.example.com", /path/],
      ["https://tenant-b.auth0.com/", "https://tenant-a.auth0.com/", /tenant or subdomain/],
    ];
    for (const [iss, configured, diff] of cases) {
      const token = await sign(rsa, { iss, sub: "u", aud: "app", exp: NOW + 60, iat: NOW });
      const v = await predict(token, [oidc("https://unrelated.test", "app", 0), oidc(configured, "app", 1)]);
      expect(v.expectedError?.code).toBe("NoAuthProvider");
      const f = v.findings.find((x) => x.id === "iss-mismatch");
      expect(f?.message).toContain(JSON.stringify(configured));
      expect(f?.message).toMatch(diff);
      expect(f?.evidence?.provider).toBe(1);
    }
  });

  it("issuer matches but aud does not: aud-missing / aud-mismatch showing both values", async () => {
    const noAud = await predict(await sign(rsa, { iss: "https://a.example.com", sub: "u", exp: NOW + 60, iat: NOW }), [oidc("https://a.example.com", "app")]);
    expect(noAud.expectedError?.code).toBe("NoAuthProvider");
    expect(ids(noAud)).toContain("aud-missing");
    const wrong = await predict(await sign(rsa, { iss: "https://a.example.com", sub: "u", aud: "App", exp: NOW + 60, iat: NOW }), [oidc("https://a.example.com", "app")]);
    const f = wrong.findings.find((x) => x.id === "aud-mismatch");
    expect(f?.message).toContain("App");
    expect(f?.message).toContain('"app"');
  });

  it("predictVerdict never throws on hostile input", async () => {
    for (const t of ["", " ", ".", "..", "a.b.c.d", "\u0000\u0001", "x".repeat(100_000)]) {
      const v = await predict(t, [oidc("https://a.example.com", "app")]);
      expect(v.verdict).toBe("rejected");
      expect(v.expectedError?.message).toBe(TEXT.parsePayload);
    }
  });
});
