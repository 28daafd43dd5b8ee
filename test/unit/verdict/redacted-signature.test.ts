/**
 * A token read back from a redacted export or HAR has `[signature-removed]` in place of its signature: with the
 * keys at hand the verdict is `unknown` (check-incomplete, saying why), never `signature-invalid` — the backend
 * saw the real signature.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactToken } from "../../../src/core/token/redact";
import { customJwt, ids, makeKey, NOW, oidc, predict, serveOidc, sign, startServer, type TestKey, type TestServer } from "./helpers";

let srv: TestServer;
let rsa: TestKey;
let issuer: string;
const claims = (iss: string) => ({ iss, sub: "user-1", aud: "app", iat: NOW - 60, exp: NOW + 3600 });

beforeAll(async () => {
  srv = await startServer();
  rsa = await makeKey("RS256", "rsa-1");
  srv.json("/jwks.json", { keys: [rsa.publicJwk] });
  issuer = serveOidc(srv, [rsa.publicJwk]);
});
afterAll(() => srv.close());

describe("a redacted token's signature", () => {
  it("customJwt: unknown at verify, not signature-invalid; the intact token is accepted", async () => {
    const ISS = "https://auth.example.com";
    const provider = customJwt(ISS, `${srv.url}/jwks.json`, { applicationID: "app" });
    const token = await sign(rsa, claims(ISS));
    expect((await predict(token, [provider])).verdict).toBe("accepted");
    const v = await predict(redactToken(token), [provider]);
    expect(v.verdict).toBe("unknown");
    expect(ids(v)).toContain("check-incomplete");
    expect(ids(v)).not.toContain("signature-invalid");
    expect(v.findings.find((f) => f.id === "check-incomplete")!.message).toContain("signature was removed when the capture was exported");
  });

  it("OIDC: unknown at verify, not signature-invalid", async () => {
    const token = await sign(rsa, claims(issuer));
    expect((await predict(token, [oidc(issuer, "app")])).verdict).toBe("accepted");
    const v = await predict(redactToken(token), [oidc(issuer, "app")]);
    expect(v.verdict).toBe("unknown");
    expect(ids(v)).not.toContain("signature-invalid");
  });
});
