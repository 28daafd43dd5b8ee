import { describe, expect, it } from "vitest";
import { ENCRYPTED_PARTS_REMOVED, maskAdminKey, redactAuthorization, redactToken, SIGNATURE_REMOVED, SECRET_MASKED } from "../../../src/core/token/redact";
import { redactText } from "../../../src/core/session/redact-events";
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

describe("redactText on hostile text (linear time)", () => {
  const M = 1_000_000;
  // [name, text, redacted and redacted with secrets kept, where either is not the text itself]
  const hostile: [string, string, string?, string?][] = [
    ["a-a-… (the 64 KB case that took seconds)", "a-".repeat(M / 2)],
    ["a-a-… around one bar", `${"a-".repeat(M / 4)}|${"a-".repeat(M / 4)}`],
    ["bars", "a|".repeat(M / 2)],
    ["prod:a| repeated", "prod:a|".repeat(M / 7)],
    ["names and short hex", `${"a".repeat(10)}|`.repeat(M / 11)],
    ["base64url with dots", "Ab.".repeat(M / 3)],
    ["eyJ repeated", "eyJ".repeat(M / 3)],
    // Five dot-separated parts with a JSON-looking header read as a JWE: its encrypted parts go.
    ["eyJ. repeated", "eyJ.".repeat(M / 4), `eyJ.${ENCRYPTED_PARTS_REMOVED}.`.repeat(M / 20)],
    ["one long eyJ run", `eyJ${"A".repeat(M)}`],
    // Admin keys are masked even when secrets are kept.
    ["?adminKey= repeated", "?adminKey=".repeat(M / 10), `?adminKey=${SECRET_MASKED}`, `?adminKey=${SECRET_MASKED}`],
  ];
  for (const [name, text, redacted, withSecrets] of hostile) {
    // The old regexes took minutes on these: a freeze fails by the test's timeout (no stopwatch, which a loaded
    // machine trips; the bench has the real figures). What comes out is exact: nothing secret in them is kept,
    // nothing that is not secret is lost.
    it(`1 MB of ${name}: redacted exactly, without freezing`, () => {
      expect(redactText(text)).toBe(redacted ?? text);
      expect(redactText(text, { includeSecrets: true })).toBe(withSecrets ?? text);
    });
  }

  it("still finds keys and tokens inside hostile text", async () => {
    const token = await signRs256({ iss: "https://i.example.com", sub: "u" });
    const [h, p, s] = token.split(".");
    const hex = "0123456789abcdef".repeat(3);
    const text = `${"a-".repeat(1000)} x-${"a-".repeat(10)}self-hosted|${hex} "prod:happy-animal-123|${"Q".repeat(20)}" eyJeyJ "${token}"`;
    const out = redactText(text);
    expect(out).toContain(`self-hosted|${SECRET_MASKED}`);
    expect(out).not.toContain(hex);
    expect(out).toContain(`prod:happy-animal-123|${SECRET_MASKED}`);
    expect(out).toContain(`${h}.${p}.${SIGNATURE_REMOVED}`);
    expect(out).not.toContain(s as string);
    expect(redactText(text, { includeSecrets: true })).toContain(token);
  });

  it("a JWE in text keeps its protected header only", () => {
    const jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn";
    expect(redactText(`token=${jwe}&x=1`)).toBe(`token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.${ENCRYPTED_PARTS_REMOVED}&x=1`);
  });
});
