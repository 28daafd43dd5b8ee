/**
 * The shared report builder as the panel uses it: per-deployment providers (the pasted configs) take the place of
 * --config and are named as such; a live capture is named as one; each token is judged at the time it was sent.
 */
import { describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import { analyzeCapture } from "../../../src/core/session/analyze";
import { analysisMarkdown } from "../../../src/core/report/markdown";
import { importCaptureText } from "../../../src/core/session/import-stream";
import type { Provider } from "../../../src/core/config/types";
import { socketEntry } from "../cli/har";

const SYNC = "wss://happy-otter-123.convex.cloud/api/1.48.0/sync";
const DEPLOYMENT = "https://happy-otter-123.convex.cloud";
const ISS = "https://issuer.example.com";
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

async function capture() {
  const { privateKey } = await generateKeyPair("RS256");
  // Valid for one minute from T0: long expired by the time this test runs.
  const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer(ISS).setSubject("u1").setAudience("app").setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 60).sign(privateKey);
  const har = JSON.stringify({
    log: {
      version: "1.2",
      entries: [
        socketEntry(SYNC, T0, [
          { type: "send", at: T0 + 1, data: JSON.stringify({ type: "Connect", sessionId: "s", connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: T0 }) },
          { type: "send", at: T0 + 2, data: JSON.stringify({ type: "Authenticate", tokenType: "User", value: token, baseVersion: 0 }) },
        ]),
      ],
    },
  });
  return { token, capture: importCaptureText(har) };
}

const oidc = (applicationID: string): Provider[] => [{ type: "oidc", domain: ISS, applicationID } as Provider];

describe("analysisMarkdown for the panel", () => {
  it("uses the pasted config for its deployment only, and says so", async () => {
    const { capture: c } = await capture();
    const asked: string[] = [];
    const analysis = await analyzeCapture(c.events, {
      providers: null,
      providersFor: (d) => (asked.push(d), d === DEPLOYMENT ? oidc("other-app") : null),
      prod: false,
      keys: null,
      sources: c.sources,
    });
    expect(asked).toEqual([DEPLOYMENT]);
    expect(analysis.tokens[0]!.providerSource).toBe("config");
    // Judged when sent (T0 + 2 ms): not expired, but the audience is wrong for the pasted provider.
    const ids = analysis.findings.map((f) => f.id);
    expect(ids).toContain("aud-mismatch");
    expect(ids).not.toContain("token-expired");
    const md = analysisMarkdown({ capture: c, config: null, analysis }, "9.9.9");
    expect(md).toMatch(/^## Convex auth report \(convex-auth-inspector 9\.9\.9\)\n/);
    expect(md).toContain("### Providers (from the pasted auth.config)");
  });

  it("names a live capture, and never prints the token's signature", async () => {
    const { token, capture: c } = await capture();
    const analysis = await analyzeCapture(c.events, { providers: null, prod: false, keys: null, sources: null });
    const md = analysisMarkdown({ capture: { kind: "live", entries: 0, events: c.events, sources: null }, config: null, analysis }, "1.0.0");
    expect(md).toContain("**Capture:** live capture in the panel, 1 sync connection, 0 HTTP calls, 1 token");
    expect(md).not.toContain(token.split(".")[2]!);
    expect(md).toContain("### Providers (unknown)");
  });
});
