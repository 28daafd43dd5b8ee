// One sync WebSocket session, speaking the protocol of reference convex-protocol.md §2–§3 and the
// backend's auth behaviour of convex-backend-auth.md §5.1. Messages are handled one at a time, in order.
import type { WebSocket } from "ws";
import { runUdf, type FunctionContext, type HarnessStore } from "./functions.ts";
import { actingAsIdentity, type JsonObject } from "./identity.ts";
import { encodeU64 } from "./u64.ts";
import { MSG, validateUserToken, type AuthFailure, type HarnessProvider } from "./validate.ts";

export type SyncDeps = {
  providers: () => HarnessProvider[];
  adminKey: string;
  redact: boolean;
  now: () => number;
  nextTs: () => bigint;
  store: HarnessStore;
  /** Send `{"type":"Ping"}` after this long without other messages (backend: 15 s). */
  pingIdleMs: number;
  /** How often a subscribed session re-checks identity expiry, as query recomputation would. */
  expiryCheckMs: number;
  /** Called after a successful mutation so other sessions recompute their queries. */
  onDataChanged: (origin: SyncSession) => void;
  /** fetch for OIDC discovery and JWKS (default: the global fetch). */
  fetch?: typeof fetch;
};

/** Everything that crossed one socket, for tests and the demo log. Tokens stay in memory only. */
export type ConnectionRecord = {
  id: number;
  path: string;
  openedAt: number;
  frames: { dir: "in" | "out"; at: number; data: unknown }[];
  /** How the server closed it, or how the client did ("client"). */
  close?: { by: "server" | "client"; code?: number; reason?: string };
};

type Version = { querySet: number; identity: number; ts: string };
type Auth =
  | { kind: "none" }
  | { kind: "user"; identity: JsonObject; exp: number }
  | { kind: "admin"; identity: JsonObject | null };
type Query = { udfPath: string; args: unknown };

const MAX_RECORDED_FRAMES = 2000;

export class SyncSession {
  private querySet = 0;
  private identityVersion = 0;
  private sent: Version = { querySet: 0, identity: 0, ts: encodeU64(0n) };
  private readonly queries = new Map<number, Query>();
  private auth: Auth = { kind: "none" };
  private clientClockSkew: number | null = null;
  private closed = false;
  private lastSentAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SyncDeps,
    readonly record: ConnectionRecord,
  ) {
    this.lastSentAt = deps.now();
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? "" : data.toString();
      this.enqueue(() => this.handle(text));
    });
    ws.on("close", (code, reason) => {
      if (!this.record.close) this.record.close = { by: "client", code, reason: reason.toString() };
      this.shutdown();
    });
    ws.on("error", () => this.shutdown());
    this.ticker = setInterval(() => this.enqueue(() => this.tick()), Math.min(deps.expiryCheckMs, deps.pingIdleMs));
  }

  /** Recompute every subscribed query and send a Transition (data changed elsewhere). */
  refresh(): void {
    this.enqueue(async () => {
      if (this.queries.size > 0 && this.checkExpiry()) this.transition([...this.queries.keys()], []);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The network went away: no close frame, the TCP connection just ends (a browser reports code 1006). */
  drop(): void {
    if (this.closed) return;
    this.record.close = { by: "server", code: 1006, reason: "network drop (harness outage)" };
    this.shutdown();
    this.ws.terminate();
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(async () => {
      if (!this.closed) await work();
    }).catch((e) => this.serverError(`harness bug: ${String(e)}`));
  }

  private shutdown(): void {
    this.closed = true;
    clearInterval(this.ticker);
  }

  private send(msg: JsonObject): void {
    if (this.closed) return;
    if (this.record.frames.length < MAX_RECORDED_FRAMES) this.record.frames.push({ dir: "out", at: Date.now(), data: msg });
    this.lastSentAt = this.deps.now();
    this.ws.send(JSON.stringify(msg));
  }

  /** Close; no code means an empty close frame, which a browser reports as 1005. */
  private close(code?: number, reason?: string): void {
    if (this.closed) return;
    this.record.close = { by: "server", code, reason };
    this.shutdown();
    if (code === undefined) this.ws.close();
    else this.ws.close(code, reason);
  }

  private serverError(reason: string): void {
    if (this.record.frames.length < MAX_RECORDED_FRAMES) this.record.frames.push({ dir: "out", at: Date.now(), data: { harnessError: reason } });
    this.close(1011, "InternalServerError");
  }

  private async tick(): Promise<void> {
    if (this.queries.size > 0 && !this.checkExpiry()) return;
    if (this.deps.now() - this.lastSentAt >= this.deps.pingIdleMs) this.send({ type: "Ping" });
  }

  private async handle(text: string): Promise<void> {
    let msg: JsonObject;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      msg = parsed as JsonObject;
    } catch {
      return this.fatal(`Could not parse client message: ${text.slice(0, 100)}`);
    }
    if (this.record.frames.length < MAX_RECORDED_FRAMES) this.record.frames.push({ dir: "in", at: Date.now(), data: msg });
    switch (msg.type) {
      case "Connect":
        // clientClockSkew: clientTs − server receive time, in ms (positive when the client is ahead).
        this.clientClockSkew = typeof msg.clientTs === "number" ? msg.clientTs - this.deps.now() : null;
        return;
      case "Authenticate":
        return this.authenticate(msg);
      case "ModifyQuerySet":
        return this.modifyQuerySet(msg);
      case "Mutation":
      case "Action":
        return this.request(msg);
      case "Event":
        return;
      default:
        return this.fatal(`Unknown client message type: ${String(msg.type).slice(0, 100)}`);
    }
  }

  /** BadRequest over the socket: FatalError, then a close without status. */
  private fatal(error: string): void {
    this.send({ type: "FatalError", error });
    this.close();
  }

  /** How the sync worker reports a failed identity (§5.1): AuthError for auth classes, close codes otherwise. */
  private authFailed(f: Pick<AuthFailure, "errorClass" | "code" | "message">, authUpdateAttempted: boolean): void {
    switch (f.errorClass) {
      case "Unauthenticated":
      case "BadRequest":
      case "Forbidden":
        this.send({ type: "AuthError", error: f.message, baseVersion: this.identityVersion, authUpdateAttempted });
        return this.close();
      case "NotFound":
        return this.close(1000, f.code);
      case "RateLimited":
      case "Overloaded":
        return this.close(1013, f.code);
      case "Internal":
        return this.close(1011, "InternalServerError");
    }
  }

  private async authenticate(msg: JsonObject): Promise<void> {
    if (msg.baseVersion !== this.identityVersion) return this.close(1011, "InternalServerError");
    let next: Auth;
    if (msg.tokenType === "None") {
      next = { kind: "none" };
    } else if (msg.tokenType === "Admin") {
      if (msg.value !== this.deps.adminKey) {
        return this.authFailed({ errorClass: "Unauthenticated", code: "BadAdminKey", message: MSG.badAdminKey }, true);
      }
      const acting = msg.impersonating ?? msg.actingAs;
      next = { kind: "admin", identity: acting && typeof acting === "object" ? actingAsIdentity(acting as JsonObject) : null };
    } else if (msg.tokenType === "User" && typeof msg.value === "string") {
      const result = await validateUserToken(msg.value, this.deps.providers(), { now: this.deps.now, redact: this.deps.redact, fetch: this.deps.fetch });
      if (!result.ok) return this.authFailed(result, true);
      next = { kind: "user", identity: result.identity, exp: result.exp };
    } else {
      return this.fatal(`Invalid Authenticate message: tokenType ${String(msg.tokenType).slice(0, 40)}`);
    }
    this.auth = next;
    this.identityVersion += 1;
    if (!this.checkExpiry()) return;
    this.transition([...this.queries.keys()], []);
  }

  private modifyQuerySet(msg: JsonObject): void {
    if (msg.baseVersion !== this.querySet || typeof msg.newVersion !== "number") return this.close(1011, "InternalServerError");
    const added: number[] = [];
    const removed: number[] = [];
    for (const m of Array.isArray(msg.modifications) ? (msg.modifications as JsonObject[]) : []) {
      if (m.type === "Add" && typeof m.queryId === "number" && typeof m.udfPath === "string") {
        this.queries.set(m.queryId, { udfPath: m.udfPath, args: Array.isArray(m.args) ? m.args[0] : {} });
        added.push(m.queryId);
      } else if (m.type === "Remove" && typeof m.queryId === "number") {
        this.queries.delete(m.queryId);
        removed.push(m.queryId);
      }
    }
    this.querySet = msg.newVersion;
    if (!this.checkExpiry()) return;
    this.transition(added, removed);
  }

  private async request(msg: JsonObject): Promise<void> {
    if (!this.checkExpiry()) return;
    const isMutation = msg.type === "Mutation";
    const args = Array.isArray(msg.args) ? msg.args[0] : {};
    const outcome = runUdf(String(msg.udfPath), args, this.context(), isMutation ? "mutation" : "action");
    const base = { type: isMutation ? "MutationResponse" : "ActionResponse", requestId: msg.requestId, logLines: [] };
    if (!outcome.ok) {
      this.send(isMutation ? { ...base, success: false, result: outcome.errorMessage, ts: null } : { ...base, success: false, result: outcome.errorMessage });
      return;
    }
    if (!isMutation) {
      this.send({ ...base, success: true, result: outcome.value });
      return;
    }
    this.send({ ...base, success: true, result: outcome.value, ts: encodeU64(this.deps.nextTs()) });
    // The client resolves a mutation only once a Transition reaches its ts: send one right away.
    this.transition([...this.queries.keys()], []);
    this.deps.onDataChanged(this);
  }

  private context(): FunctionContext {
    const identity = this.auth.kind === "none" ? null : this.auth.identity;
    return { identity, store: this.deps.store };
  }

  /** SyncState::identity(): an accepted user identity fails once now >= exp, with no leeway. */
  private checkExpiry(): boolean {
    if (this.auth.kind === "user" && this.deps.now() / 1000 >= this.auth.exp) {
      this.authFailed({ errorClass: "Unauthenticated", code: "TokenExpired", message: MSG.expired }, false);
      return false;
    }
    return true;
  }

  private transition(updated: number[], removed: number[]): void {
    const ctx = this.context();
    const modifications: JsonObject[] = [];
    for (const queryId of updated) {
      const q = this.queries.get(queryId);
      if (!q) continue;
      const outcome = runUdf(q.udfPath, q.args, ctx, "query");
      modifications.push(
        outcome.ok
          ? { type: "QueryUpdated", queryId, value: outcome.value, logLines: [], journal: null }
          : { type: "QueryFailed", queryId, errorMessage: outcome.errorMessage, logLines: [], journal: null },
      );
    }
    for (const queryId of removed) modifications.push({ type: "QueryRemoved", queryId });
    const ts = this.deps.nextTs();
    const end: Version = { querySet: this.querySet, identity: this.identityVersion, ts: encodeU64(ts) };
    this.send({
      type: "Transition",
      startVersion: this.sent,
      endVersion: end,
      modifications,
      clientClockSkew: this.clientClockSkew,
      serverTs: Number(ts),
    });
    this.sent = end;
  }
}
