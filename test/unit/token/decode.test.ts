import { describe, expect, it } from "vitest";
import { decodeToken, findBadClaimTypes, describeBadClaimType } from "../../../src/core/token/decode";
import { SIGNATURE_REMOVED } from "../../../src/core/token/redact";
import { b64url, encryptJwe, signHs256, signRs256 } from "./helpers";

const now = Math.floor(Date.now() / 1000);

describe("decodeToken: empty and opaque", () => {
  it("empty and whitespace-only input", () => {
    for (const raw of ["", "   \n\t", "Bearer ", "bearer"]) {
      const d = decodeToken(raw);
      expect(d.kind).toBe("empty");
      expect(d.problem).toBe("The token is empty.");
      expect(d.header).toBeNull();
      expect(d.payload).toBeNull();
    }
  });

  it("an opaque session string says what it looks like", () => {
    const raw = "sess_" + "A1b2C3d4E5".repeat(3) + "xyzwv";
    const d = decodeToken(raw);
    expect(raw).toHaveLength(40);
    expect(d.kind).toBe("opaque");
    expect(d.problem).toBe("The value is a 40-character opaque string, not a JWT.");
    expect(d.redacted).toBe("[redacted 40-character value]");
    expect(d.redacted).not.toContain("A1b2");
  });

  it("recognises hex strings, UUIDs, admin keys and wrong part counts", () => {
    expect(decodeToken("ab".repeat(32)).problem).toContain("64-character hex string");
    expect(decodeToken("123e4567-e89b-12d3-a456-426614174000").problem).toContain("a UUID");
    const admin = decodeToken("prod:happy-animal-123|" + "eyJ2MiI6ImFiY2RlZiJ9".repeat(3));
    expect(admin.kind).toBe("opaque");
    expect(admin.problem).toContain("Convex admin key");
    expect(admin.redacted).toBe("prod:happy-animal-123|[masked]");
    expect(decodeToken("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0").problem).toContain("2 dot-separated parts");
  });

  it("binary garbage gives a clear problem and never throws", () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const garbage = String.fromCharCode(...bytes);
    const d = decodeToken(garbage);
    expect(d.kind).toBe("opaque");
    expect(d.problem).toMatch(/^The value is binary data \(\d+ characters\), not a JWT\.$/);
    // Three dot-separated parts whose payload bytes are not UTF-8.
    const notUtf8 = `${b64url({ alg: "RS256" })}.${btoa("\xff\xfe\xfd\xfc").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.sig`;
    expect(decodeToken(notUtf8).problem).toBe("The payload (part 2) decodes to bytes that are not UTF-8 text.");
  });
});

describe("decodeToken: JWE", () => {
  it("a five-part encrypted token is kind jwe with its header", async () => {
    const jwe = await encryptJwe({ iss: "https://issuer.example.com", sub: "u1" });
    expect(jwe.split(".")).toHaveLength(5);
    const d = decodeToken(jwe);
    expect(d.kind).toBe("jwe");
    expect(d.header).toEqual({ alg: "dir", enc: "A256GCM" });
    expect(d.payload).toBeNull();
    expect(d.problem).toContain("encrypted JWT (JWE");
    expect(d.redacted).not.toContain(jwe.split(".")[3]);
  });
});

describe("decodeToken: signed JWTs", () => {
  it("decodes an RS256 token, stripping `Bearer ` and whitespace; redacts the signature", async () => {
    const token = await signRs256({ iss: "https://issuer.example.com", sub: "user|1", aud: "convex", iat: now, exp: now + 3600 });
    const d = decodeToken(`  Bearer ${token}\n`);
    expect(d.kind).toBe("jwt");
    expect(d.raw).toBe(token);
    expect(d.problem).toBeNull();
    expect(d.header).toEqual({ alg: "RS256", kid: "k1", typ: "JWT" });
    expect(d.payload).toMatchObject({ iss: "https://issuer.example.com", sub: "user|1", aud: "convex" });
    expect(d.badClaimTypes).toEqual([]);
    const [h, p, sig] = token.split(".");
    expect(d.redacted).toBe(`${h}.${p}.${SIGNATURE_REMOVED}`);
    expect(d.redacted).not.toContain(sig as string);
    expect(d.fingerprint).toBe(`${token.length}:...${token.slice(-7)}`);
  });

  it("decodes an HS256 token (the verdict, not the decoder, refuses symmetric algorithms)", async () => {
    const token = await signHs256({ iss: "https://issuer.example.com", sub: "u" });
    const d = decodeToken(token);
    expect(d.kind).toBe("jwt");
    expect(d.header?.alg).toBe("HS256");
    expect(d.problem).toBeNull();
  });

  it("registered claims with the wrong JSON type are listed exactly per the backend's payload parse", async () => {
    const token = await signRs256({
      iss: 42,
      sub: { id: 1 },
      jti: "fine",
      aud: ["convex", 7],
      exp: "1700000000",
      nbf: -5,
      iat: 1.5,
      email_verified: "true",
    });
    const d = decodeToken(token);
    expect(d.kind).toBe("jwt");
    expect(d.problem).toBeNull();
    expect(d.badClaimTypes).toEqual(["iss", "sub", "aud", "exp", "nbf"]);
  });

  it("accepts the types the backend accepts: aud string or string array, floats, null as absent", () => {
    expect(findBadClaimTypes({ aud: "a", exp: 1.7e9 + 0.25, iat: 0, nbf: null, iss: null })).toEqual([]);
    expect(findBadClaimTypes({ aud: ["a", "b"] })).toEqual([]);
    expect(findBadClaimTypes({ aud: 5, jti: 1, iat: true })).toEqual(["jti", "aud", "iat"]);
    expect(describeBadClaimType("exp", "1700000000")).toBe(
      "`exp` is a JSON string; the backend requires a non-negative number (seconds since 1970).",
    );
    expect(describeBadClaimType("nbf", -1)).toContain("a negative number");
  });

  it("payload that is not base64url, not JSON, or not an object", () => {
    const h = b64url({ alg: "RS256", kid: "k" });
    expect(decodeToken(`${h}.${b64url("not json at all")}.sig`).problem).toBe(
      "The payload (part 2) decodes to text that is not JSON.",
    );
    const arr = decodeToken(`${h}.${b64url([1, 2])}.sig`);
    expect(arr.kind).toBe("jwt");
    expect(arr.payload).toBeNull();
    expect(arr.problem).toBe("The payload (part 2) is a JSON array, not a JSON object.");
    const std = decodeToken(`${h}.eyJpc3MiOiJ4In0+/w.sig`);
    expect(std.kind).toBe("jwt");
    expect(std.problem).toContain("is not base64url (it uses standard base64");
    expect(decodeToken(`${b64url("{{")}.${b64url({ iss: "x" })}.sig`)).toMatchObject({
      header: null,
      payload: { iss: "x" },
      problem: "The header (part 1) decodes to text that is not JSON.",
    });
  });

  // No stopwatch here (a loaded machine trips one): a decoder that rescans would fail by the test's timeout.
  it("a 5 MB token decodes completely", async () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const token = await signRs256({ iss: "https://issuer.example.com", sub: "u", big });
    expect(token.length).toBeGreaterThan(5 * 1024 * 1024);
    const d = decodeToken(token);
    expect(d.kind).toBe("jwt");
    expect((d.payload?.big as string).length).toBe(big.length);
    // Garbage of the same size is refused.
    expect(decodeToken("%".repeat(5 * 1024 * 1024)).kind).toBe("opaque");
  });

  it("refuses to decode beyond 16 MiB, with a clear problem", () => {
    const d = decodeToken("a".repeat(16 * 1024 * 1024 + 1));
    expect(d.kind).toBe("opaque");
    expect(d.problem).toBe(`The value is ${16 * 1024 * 1024 + 1} characters, more than the ${16 * 1024 * 1024} the inspector decodes.`);
  });

  it("never throws on non-string input", () => {
    expect(decodeToken(undefined as unknown as string).kind).toBe("empty");
  });
});

describe("decodeToken on hostile input", () => {
  it("a header without alg is read as it is (the verdict says so; no internal error)", () => {
    const t = decodeToken(`${b64url({ kid: "k1" })}.${b64url({ iss: "https://i", sub: "u" })}.c2ln`);
    expect(t.kind).toBe("jwt");
    expect(t.header).toEqual({ kid: "k1" });
    expect(t.payload).toEqual({ iss: "https://i", sub: "u" });
  });
  for (const [name, text] of [
    ["a million dots", ".".repeat(1_000_000)],
    ["eyJ. repeated to 1 MB", "eyJ.".repeat(250_000)],
    ["1 MB of base64url with dots", "Ab.".repeat(333_333)],
  ] as const) {
    it(`${name}: described as opaque without freezing`, () => {
      const t = decodeToken(text);
      expect(t.kind).toBe("opaque");
      expect(t.problem).toMatch(/dot-separated parts, not a JWT/);
    });
  }
});
