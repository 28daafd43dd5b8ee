/** Export redaction (searched for the secret strings themselves), HAR shape, and import round trips. */
import { describe, expect, it } from "vitest";
import { exportHar, exportSession, importCaptured } from "../../../src/core/session/export";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { CapturedEvent } from "../../../src/core/session/types";
import { authAdmin, authError, authUser, Capture, connectMsg, DEPLOYMENT, mqs, NO_PROVIDER, signToken, SYNC_URL, transition } from "./fixtures";

const ADMIN_SECRET = "eyJ2MiI6ImFkbWluc2VjcmV0YWRtaW5zZWNyZXQifQ==";
const ADMIN_KEY = `prod:happy-animal-123|${ADMIN_SECRET}`;

async function capture(): Promise<{ events: CapturedEvent[]; token: string; signature: string; big: string }> {
  const token = await signToken({ sub: "user_9" });
  const signature = token.split(".")[2]!;
  const big = await signToken({ sub: "big", pad: "x".repeat(70_000) });
  const bigText = authUser(2, big);
  const c = new Capture()
    .installed()
    .open(1)
    .send(1, connectMsg(0, "InitialConnect"))
    .send(1, authUser(0, token))
    .send(1, mqs(0, 1, [[0, "messages:list"]]))
    .recv(1, transition([0, 0], [1, 1], [0]))
    .send(1, authAdmin(1, ADMIN_KEY))
    .recv(1, authError(NO_PROVIDER, 1, true))
    .close(1, 1005)
    .http({ url: `${DEPLOYMENT}/api/query`, authorization: `Bearer ${token}`, status: 200 })
    .http({ url: `${DEPLOYMENT}/api/mutation?adminKey=${encodeURIComponent(ADMIN_KEY)}`, authorization: `Convex ${ADMIN_KEY}`, status: 401, errorBody: '{"code":"BadAdminKey","message":"The provided admin key was invalid for this instance"}' });
  c.push({ k: "ws-send", t: 0, ws: 1, frame: { head: bigText.slice(0, 2048), tail: bigText.slice(-512), size: bigText.length } });
  return { events: c.events, token, signature, big };
}

describe("export", () => {
  it("removes JWT signatures and masks admin keys by default", async () => {
    const { events, token, signature, big } = await capture();
    const out = exportSession(events);
    expect(out).not.toContain(signature);
    expect(out).not.toContain(token);
    expect(out).not.toContain(big.slice(-40));
    expect(out).not.toContain(ADMIN_SECRET);
    expect(out).not.toContain(encodeURIComponent(ADMIN_SECRET));
    expect(out).toContain("[signature-removed]");
    expect(out).toContain("prod:happy-animal-123|[masked]");
    expect(JSON.parse(out)).toMatchObject({ format: "convex-auth-inspector/capture", version: 1, redacted: true });
    // The input events are untouched.
    expect(JSON.stringify(events)).toContain(signature);
  });

  it("keeps tokens with includeSecrets but still masks admin keys", async () => {
    const { events, token } = await capture();
    const out = exportSession(events, { includeSecrets: true });
    expect(out).toContain(token);
    expect(out).not.toContain(ADMIN_SECRET);
    expect(JSON.parse(out).redacted).toBe(false);
  });

  it("writes a HAR with Chrome's websocket convention, redacted the same way", async () => {
    const { events, signature } = await capture();
    const har = exportHar(events);
    expect(har).not.toContain(signature);
    expect(har).not.toContain(ADMIN_SECRET);
    const log = JSON.parse(har).log;
    expect(log.version).toBe("1.2");
    const ws = log.entries.find((e: { _resourceType: string }) => e._resourceType === "websocket");
    expect(ws.request.url).toBe(SYNC_URL);
    expect(ws._webSocketMessages[0]).toMatchObject({ type: "send", opcode: 1, data: expect.stringContaining('"Connect"') });
    expect(ws._webSocketMessages.some((m: { type: string }) => m.type === "receive")).toBe(true);
    const http = log.entries.filter((e: { _resourceType: string }) => e._resourceType === "fetch");
    expect(http[0].request.headers[0]).toEqual({ name: "Authorization", value: expect.stringMatching(/^Bearer .*\[signature-removed\]$/) });
  });

  it("imports its own export back to the same events (with secrets) and the same session", async () => {
    const { events } = await capture();
    const back = importCaptured(exportSession(events, { includeSecrets: true }));
    expect(back).toHaveLength(events.length);
    const a = reduceSession(emptySession(), events);
    const b = reduceSession(emptySession(), back);
    expect(b.findings.map((f) => f.id)).toEqual(a.findings.map((f) => f.id));
    expect(b.tokens.map((t) => t.outcome)).toEqual(a.tokens.map((t) => t.outcome));
  });

  it("imports a HAR with _webSocketMessages into equivalent connections and findings", async () => {
    const { events } = await capture();
    const back = importCaptured(exportHar(events, { includeSecrets: true }));
    const a = reduceSession(emptySession(), events);
    const b = reduceSession(emptySession(), back);
    expect(b.connections.map((c) => [c.id, c.auth, c.frames.length])).toEqual(a.connections.map((c) => [c.id, c.auth, c.frames.length]));
    expect(b.requests.map((r) => [r.endpoint, r.scheme, r.status])).toEqual(a.requests.map((r) => [r.endpoint, r.scheme, r.status]));
    expect(new Set(b.findings.map((f) => f.id))).toEqual(new Set(a.findings.map((f) => f.id)));
  });

  it("says clearly what is wrong with truncated or foreign input", async () => {
    const { events } = await capture();
    const text = exportSession(events);
    expect(() => importCaptured(text.slice(0, text.length / 2))).toThrow(/truncated/);
    expect(() => importCaptured("")).toThrow(/empty/);
    expect(() => importCaptured("hello")).toThrow(/not JSON/);
    expect(() => importCaptured("[1,2]")).toThrow(/JSON array/);
    expect(() => importCaptured('{"a":1}')).toThrow(/neither a convex-auth-inspector export.*nor a HAR/);
    expect(() => importCaptured('{"format":"convex-auth-inspector/capture","version":9,"events":[]}')).toThrow(/version 9/);
    expect(() => importCaptured('{"format":"convex-auth-inspector/capture","version":1,"events":[{"n":0,"doc":"d","frame":0,"ev":{"k":"ws-send","t":1,"ws":1}}]}')).toThrow(/Event 0 .*frame is not an object/);
    expect(() => importCaptured('{"log":{"entries":[{"request":{"url":"x"}}]}}')).toThrow(/HAR entry 0 has no valid "startedDateTime"/);
  });
});
