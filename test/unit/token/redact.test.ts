import { describe, expect, it } from "vitest";
import { maskAdminKey, redactAuthorization, redactToken, SIGNATURE_REMOVED, SECRET_MASKED } from "../../../src/core/token/redact";
import { looksLikeAdminKey } from "../../../src/core/token/kind";
import { signRs256 } from "./helpers";

const secretPart = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))));

describe("redaction", () => {
  it("redactToken keeps header and payload of a JWT and drops the signature", async () => {
    const token = await signRs256({ iss: "https://i.example.com", sub: "u" });
    const [h, p, s] = token.split(".");
    const r = redactToken(token);
    expect(r).toBe(`${h}.${p}.${SIGNATURE_REMOVED}`);
    expect(r).not.toContain(s as string);
    expect(redactToken("")).toBe("");
    expect(redactToken("opaque-session-value-123")).toBe("[redacted 24-character value]");
  });

  it("maskAdminKey keeps only the deployment prefix", () => {
    const secret = secretPart();
    expect(maskAdminKey(`prod:happy-animal-123|${secret}`)).toBe(`prod:happy-animal-123|${SECRET_MASKED}`);
    expect(maskAdminKey(`dev:quiet-otter-42|${secret}`)).toBe(`dev:quiet-otter-42|${SECRET_MASKED}`);
    expect(maskAdminKey(secret)).toBe(SECRET_MASKED);
    expect(maskAdminKey(`dev:x|${secret}`)).not.toContain(secret.slice(0, 10));
    expect(maskAdminKey("")).toBe("");
  });

  it("redactAuthorization handles Bearer, Convex (admin, acting-as-user) and other schemes", async () => {
    const token = await signRs256({ iss: "https://i.example.com", sub: "u" });
    const secret = secretPart();
    expect(redactAuthorization(`Bearer ${token}`)).toBe(`Bearer ${redactToken(token)}`);
    expect(redactAuthorization(`Convex prod:a-b-1|${secret}`)).toBe(`Convex prod:a-b-1|${SECRET_MASKED}`);
    const acting = redactAuthorization(`Convex dev:a-b-1|${secret}:${btoa('{"subject":"u"}')}`);
    expect(acting).toBe(`Convex dev:a-b-1|${SECRET_MASKED}`);
    expect(redactAuthorization("Basic dXNlcjpwYXNz")).toBe("Basic [redacted 12-character value]");
  });

  it("looksLikeAdminKey recognises cloud and self-hosted admin keys, not JWTs", async () => {
    expect(looksLikeAdminKey(`prod:happy-animal-123|${secretPart()}`)).toBe(true);
    expect(looksLikeAdminKey(`convex-self-hosted|${"0a1b".repeat(20)}`)).toBe(true);
    expect(looksLikeAdminKey(await signRs256({ sub: "u" }))).toBe(false);
    expect(looksLikeAdminKey("prod:name")).toBe(false);
  });
});
