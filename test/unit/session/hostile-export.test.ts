/**
 * A hostile page's session: AuthError texts named like Object.prototype members, 1 MB `a-a-…` and `eyJ…` texts,
 * tokens nested 100 000 levels deep. The reducer keeps every event and Export finishes, redacting all of it (it
 * froze the panel 22 s on a 645 KB session when redaction was quadratic). No clock is read here: this session is
 * over 4 MB, where quadratic redaction runs for minutes, so a regression fails by the test's timeout, not by a
 * stopwatch that a loaded machine trips (`npm run bench` has the figures).
 */
import { describe, expect, it } from "vitest";
import { exportHar, exportSession, importCaptured } from "../../../src/core/session/export";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import { authError, authUser, Capture, connectMsg, signToken } from "./fixtures";
import { b64url } from "../token/helpers";

async function hostileCapture() {
  const c = new Capture().installed().open(1).send(1, connectMsg(0, "InitialConnect"));
  const texts = ["constructor", "__proto__", "toString", "a-".repeat(500_000), "eyJ.".repeat(250_000), `x|${"a-".repeat(100_000)}`];
  for (const [i, text] of texts.entries()) c.send(1, authUser(i, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).recv(1, authError(text, i, true));
  // Built as text: no JSON serializer (jose's included) can nest this deep.
  const deepPayload = `{"iss":"https://i.example","sub":"deep","deep":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`;
  const deepToken = `${b64url({ alg: "RS256", kid: "k1" })}.${Buffer.from(deepPayload).toString("base64url")}.${(await signToken({})).split(".")[2]}`;
  c.send(1, authUser(texts.length, deepToken));
  // Many ordinary-sized frames too: the 645 KB session was thousands of events.
  for (let i = 0; i < 2000; i++) c.recv(1, authError(`${"a-".repeat(150)}${i}`, texts.length + i, true));
  return c.events;
}

describe("a hostile session", () => {
  it("the reducer keeps every AuthError, whatever its text", async () => {
    const events = await hostileCapture();
    const s = reduceSession(emptySession(), events);
    const errors = s.timeline.filter((t) => t.kind === "auth-error");
    expect(errors.length).toBe(6 + 2000);
  });

  it("exports (JSON and HAR) every event, every signature removed, and imports back", async () => {
    const events = await hostileCapture();
    for (const exporter of [exportSession, exportHar]) {
      const out = exporter(events);
      expect(out.length).toBeGreaterThan(2_000_000);
      // Redacted throughout, not cut short: the six Authenticate tokens lost their signature, the 2,000 texts are all there.
      expect(out).not.toContain("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
      expect(out.split("eyJhbGciOiJSUzI1NiJ9.e30.").length - 1).toBe(6);
      expect(out).toContain(`${"a-".repeat(150)}1999`);
    }
    expect(importCaptured(exportSession(events))).toHaveLength(events.length);
  });
});
