import { describe, expect, it } from "vitest";
import { identityPreview, MAX_CLAIM_DEPTH, NESTED_TOO_DEEP, rfc3339Utc } from "../../../src/core/token/identity";
import { decodeToken } from "../../../src/core/token/decode";
import { signRs256 } from "./helpers";

describe("identityPreview (reference §7)", () => {
  it("OIDC: maps standard claims, keeps nested custom claims, drops excluded ones", async () => {
    const token = await signRs256({
      iss: "https://tenant.auth0.example.com/",
      sub: "auth0|123",
      aud: "convex",
      iat: 1704067200,
      exp: 1704070800,
      nbf: 1704067200,
      jti: "abc",
      fva: [3, -1],
      azp: "client",
      nonce: "n",
      auth_time: 1704067100,
      name: "Ada Lovelace",
      "name#ja": "エイダ",
      given_name: "Ada",
      family_name: "Lovelace",
      middle_name: "Augusta",
      nickname: "ada",
      preferred_username: "ada.l",
      profile: "https://example.com/ada",
      picture: "https://example.com/ada.png",
      website: "https://ada.example.com",
      email: "ada@example.com",
      email_verified: true,
      gender: "female",
      birthdate: "1815-12-10",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      phone_number: "+44 20 0000 0000",
      phone_number_verified: false,
      address: { formatted: "12 St James's Square, London", country: "UK" },
      updated_at: 1704067200,
      org: { id: "org_1", roles: ["admin"] },
      plan: "pro",
    });
    const payload = decodeToken(token).payload as Record<string, unknown>;
    const id = identityPreview(payload, "oidc");
    expect(id).toEqual({
      tokenIdentifier: "https://tenant.auth0.example.com/|auth0|123",
      subject: "auth0|123",
      issuer: "https://tenant.auth0.example.com/",
      name: "Ada Lovelace",
      givenName: "Ada",
      familyName: "Lovelace",
      nickname: "ada",
      preferredUsername: "ada.l",
      profileUrl: "https://example.com/ada",
      pictureUrl: "https://example.com/ada.png",
      websiteUrl: "https://ada.example.com",
      email: "ada@example.com",
      emailVerified: true,
      gender: "female",
      birthday: "1815-12-10",
      timezone: "Europe/London",
      language: "en-GB",
      phoneNumber: "+44 20 0000 0000",
      phoneNumberVerified: false,
      address: "12 St James's Square, London",
      updatedAt: "2024-01-01T00:00:00+00:00",
      org: { id: "org_1", roles: ["admin"] },
      plan: "pro",
    });
    for (const gone of ["nbf", "jti", "fva", "azp", "nonce", "auth_time", "middle_name", "name#ja", "aud", "exp", "iat"]) {
      expect(id).not.toHaveProperty([gone]);
    }
  });

  it("OIDC: tokenIdentifier uses the raw iss, even without a scheme", () => {
    expect(identityPreview({ iss: "issuer.example.com", sub: "s" }, "oidc").tokenIdentifier).toBe("issuer.example.com|s");
  });

  it("customJwt: no camelCase mapping, registered claims and fva excluded, nested objects flattened", async () => {
    const token = await signRs256({
      iss: "https://api.workos.com/user_management/client_1",
      sub: "user_01",
      aud: "client_1",
      iat: 1704067200,
      exp: 1704070800,
      nbf: 1704067200,
      jti: "j",
      fva: [0, -1],
      email: "ada@example.com",
      email_verified: true,
      properties: { id: "123", deep: { x: 1, list: [1, { a: 2 }] } },
      roles: ["admin", "member"],
      org_id: null,
    });
    const id = identityPreview(decodeToken(token).payload as Record<string, unknown>, "customJwt");
    expect(id).toEqual({
      tokenIdentifier: "https://api.workos.com/user_management/client_1|user_01",
      subject: "user_01",
      issuer: "https://api.workos.com/user_management/client_1",
      email: "ada@example.com",
      email_verified: true,
      "properties.id": "123",
      "properties.deep.x": 1,
      "properties.deep.list": [1, { a: 2 }],
      roles: ["admin", "member"],
      org_id: null,
    });
  });

  it("updated_at formats like chrono's to_rfc3339", () => {
    expect(rfc3339Utc(0)).toBe("1970-01-01T00:00:00+00:00");
    expect(rfc3339Utc(1704067200.5)).toBe("2024-01-01T00:00:00.500+00:00");
    expect(identityPreview({ iss: "https://i", sub: "s", updated_at: "2024-01-01T01:00:00+01:00" }, "oidc").updatedAt).toBe(
      "2024-01-01T00:00:00+00:00",
    );
  });
});

describe("identityPreview on hostile claims", () => {
  const deep = (levels: number, leaf: unknown = "leaf") => {
    let v = leaf;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  it("100 000 levels of nesting: bounded, not a stack overflow", () => {
    const payload = JSON.parse(`{"iss":"https://i","sub":"u","deep":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`) as Record<string, unknown>;
    for (const type of ["customJwt", "oidc"] as const) {
      const id = identityPreview(payload, type);
      expect(JSON.stringify(id)).toContain(NESTED_TOO_DEEP);
    }
  });
  it("nesting up to the limit is flattened exactly as the backend does", () => {
    const id = identityPreview({ iss: "i", sub: "u", n: deep(MAX_CLAIM_DEPTH - 1) }, "customJwt");
    expect(id[`n${".a".repeat(MAX_CLAIM_DEPTH - 1)}`]).toBe("leaf");
  });
  it("claims named __proto__ and constructor are claims, not object machinery", () => {
    const payload = JSON.parse('{"iss":"i","sub":"u","__proto__":{"x":1},"constructor":"c","toString":"t"}') as Record<string, unknown>;
    const custom = identityPreview(payload, "customJwt");
    expect(Object.getPrototypeOf(custom)).toBe(Object.prototype);
    expect(custom["__proto__.x"]).toBe(1);
    expect(Object.hasOwn(custom, "constructor")).toBe(true);
    const oidc = identityPreview(payload, "oidc");
    expect(Object.getPrototypeOf(oidc)).toBe(Object.prototype);
    expect(Object.hasOwn(oidc, "__proto__")).toBe(true);
    expect(oidc.constructor).toBe("c");
    expect(oidc.toString).toBe("t");
  });
});
