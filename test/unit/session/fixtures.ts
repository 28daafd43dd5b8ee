/**
 * Builders for synthetic captures: frames exactly as convex@1.48.0 writes them (reference convex-protocol §2,
 * §3 examples, same field order) wrapped in CapturedEvents; tokens really signed with jose at test time.
 */
import { generateKeyPair, SignJWT } from "jose";
import type { HookEvent } from "../../../src/core/capture/events";
import type { CapturedEvent } from "../../../src/core/session/types";
import { encodeU64 } from "../../../src/core/wire/u64";

export const SYNC_URL = "wss://happy-animal-123.convex.cloud/api/1.48.0/sync";
export const DEPLOYMENT = "https://happy-animal-123.convex.cloud";
export const ISS = "https://issuer.example.test";

let keyPromise: ReturnType<typeof generateKeyPair> | null = null;
const key = () => (keyPromise ??= generateKeyPair("RS256"));

/** A real RS256 JWT (never committed: made when the test runs). */
export async function signToken(claims: Record<string, unknown> = {}, opts: { iat?: number; exp?: number } = {}): Promise<string> {
  const { privateKey } = await key();
  const iat = opts.iat ?? 1_755_800_000;
  const exp = opts.exp ?? iat + 3600;
  return new SignJWT({ sub: "user_1", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" })
    .setIssuer(typeof claims.iss === "string" ? claims.iss : ISS)
    .setAudience("convex")
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(privateKey);
}

export const connectMsg = (connectionCount: number, lastCloseReason: string | null, sessionId = "23d5d71f-0000-4000-8000-000000000001", clientTs = 1_755_800_000_000) =>
  JSON.stringify({ connectionCount, lastCloseReason, clientTs, type: "Connect", sessionId });
export const authUser = (baseVersion: number, value: string) => JSON.stringify({ type: "Authenticate", baseVersion, tokenType: "User", value });
export const authNone = (baseVersion: number) => JSON.stringify({ type: "Authenticate", tokenType: "None", baseVersion });
export const authAdmin = (baseVersion: number, value: string, impersonating?: Record<string, unknown>) =>
  JSON.stringify({ type: "Authenticate", baseVersion, tokenType: "Admin", value, impersonating });
export const mqs = (baseVersion: number, newVersion: number, adds: [number, string][], removes: number[] = []) =>
  JSON.stringify({
    type: "ModifyQuerySet",
    baseVersion,
    newVersion,
    modifications: [
      ...adds.map(([queryId, udfPath]) => ({ type: "Add", queryId, udfPath, args: [{}] })),
      ...removes.map((queryId) => ({ type: "Remove", queryId })),
    ],
  });
export const version = (querySet: number, identity: number, ts = 0n) => ({ querySet, identity, ts: encodeU64(ts) });
export const transition = (
  from: [number, number],
  to: [number, number],
  answered: number[] = [],
  extra: { clientClockSkew?: number; serverTs?: number } = {},
) =>
  JSON.stringify({
    type: "Transition",
    startVersion: version(from[0], from[1], 0n),
    endVersion: version(to[0], to[1], 1n),
    modifications: answered.map((queryId) => ({ type: "QueryUpdated", queryId, value: [], logLines: [], journal: null })),
    clientClockSkew: extra.clientClockSkew ?? -3,
    serverTs: extra.serverTs ?? 1755800000000000000,
  });
export const authError = (error: string, baseVersion: number, authUpdateAttempted: boolean) =>
  JSON.stringify({ type: "AuthError", error, baseVersion, authUpdateAttempted });

export const NO_PROVIDER =
  "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=https://other.example.test, app_id=convex)]";

/** Builds a capture of one tab: events numbered and timed in order. */
export class Capture {
  events: CapturedEvent[] = [];
  t = 1_755_800_000_000;
  private n = 0;
  constructor(public doc = "doc-1") {}

  at(deltaMs: number): this {
    this.t += deltaMs;
    return this;
  }
  push(ev: HookEvent | CapturedEvent["ev"], doc = this.doc): this {
    this.events.push({ n: this.n++, doc, frame: 0, ev: { ...ev, t: this.t } as CapturedEvent["ev"] });
    return this;
  }
  installed(url = "https://app.example.test/"): this {
    return this.push({ k: "installed", t: 0, url, top: true });
  }
  open(ws: number, url = SYNC_URL): this {
    return this.push({ k: "ws-new", t: 0, ws, url }).push({ k: "ws-open", t: 0, ws });
  }
  send(ws: number, text: string): this {
    return this.push({ k: "ws-send", t: 0, ws, frame: { text, size: text.length } });
  }
  recv(ws: number, text: string): this {
    return this.push({ k: "ws-recv", t: 0, ws, frame: { text, size: text.length } });
  }
  close(ws: number, code = 1005, reason = ""): this {
    return this.push({ k: "ws-close", t: 0, ws, code, reason, wasClean: code !== 1006 });
  }
  http(req: { url: string; authorization: string | null; status: number; errorBody?: string; method?: string }): this {
    const ev: HookEvent = { k: "http", t: 0, req: this.n, via: "fetch", method: req.method ?? "POST", url: req.url, authorization: req.authorization, status: req.status };
    if (req.errorBody !== undefined) ev.errorBody = req.errorBody;
    return this.push(ev);
  }
  skip(count: number): this {
    this.n += count;
    return this;
  }
}

/** A client's first connection whose cached token the server just confirmed: Connect, Authenticate(0), identity 0 → 1. */
export function cachedTokenConfirmed(token: string): Capture {
  return new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, token)).recv(1, transition([0, 0], [0, 1]));
}

/** One of everything the reducer reads (two sockets, tokens, an AuthError, HTTP, a drop, a chunked Transition). */
export async function mixedCapture(): Promise<CapturedEvent[]> {
  const a = await signToken({ sub: "a" }, { iat: 1_755_799_000 });
  const b = await signToken({ sub: "b" });
  const c = new Capture()
    .installed()
    .open(1)
    .send(1, connectMsg(0, "InitialConnect"))
    .send(1, authUser(0, a))
    .send(1, mqs(0, 1, [[0, "messages:list"]]))
    .recv(1, transition([0, 0], [1, 1], [0], { clientClockSkew: 9000 }))
    .send(1, authUser(1, b))
    .recv(1, authError(NO_PROVIDER, 1, true))
    .close(1, 1005)
    .open(2)
    .send(2, connectMsg(1, null))
    .send(2, mqs(0, 1, [[0, "messages:list"]]))
    .http({ url: `${DEPLOYMENT}/api/query`, authorization: `Bearer ${a}`, status: 401, errorBody: '{"code":"InvalidAuthHeader","message":"Could not parse JWT payload"}' })
    .push({ k: "dropped", t: 0, count: 2 });
  // A chunked Transition split across batches.
  const t = transition([1, 0], [2, 0], [0]);
  const half = Math.ceil(t.length / 2);
  c.recv(2, JSON.stringify({ type: "TransitionChunk", chunk: t.slice(0, half), partNumber: 0, totalParts: 2, transitionId: "x" }));
  c.recv(2, JSON.stringify({ type: "TransitionChunk", chunk: t.slice(half), partNumber: 1, totalParts: 2, transitionId: "x" }));
  return c.events;
}
