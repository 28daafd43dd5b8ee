/**
 * Server → client frames into the session: the auth state machine's server half (reference
 * convex-protocol §3, §4): a Transition with endVersion.identity > startVersion.identity accepts the pending
 * Authenticates whose baseVersion it passed; AuthError(authUpdateAttempted:true) rejects the pending token;
 * AuthError(false) means an accepted identity expired.
 */
import type { FrameText } from "../capture/events";
import { addChunk, interruptedAssembly } from "../wire/chunks";
import { readServerFrame, type AuthErrorMsg, type TransitionMsg } from "../wire/server";
import type { Draft } from "./draft";
import { recordFrame, SMALL_MSG } from "./frames";
import { transitionEnds } from "./stored-form";
import { clip, identityOf } from "./summary";
import type { FrameRecord } from "./types";

const SKEW_LIMIT_MS = 5000;

/**
 * Applies one server frame. With `wantEnds` (a live log that holds its events), returns the frame's smaller
 * stored form when the session needed no more of it than its ends (stored-form.ts); undefined otherwise.
 */
export function applyRecv(d: Draft, ci: number, t: number, frame: FrameText, wantEnds = false): FrameText | undefined {
  const c = d.conn(ci);
  const track = c.track!;
  const { parsed, json: msg } = readServerFrame(frame);

  // The client drops a chunk assembly when anything else arrives in the middle of it.
  let interrupted: string | undefined;
  if (track.chunk && parsed.type !== "TransitionChunk") {
    interrupted = interruptedAssembly(parsed.type === "invalid" ? (parsed.claimedType ?? "invalid") : parsed.type);
    track.chunk = null;
  }
  const advancing = parsed.type === "Transition" && parsed.endVersion.identity > parsed.startVersion.identity;
  /**
   * A Transition that changes no auth state: no timeline row shows it, so its parsed message is not kept, and
   * what the session reads of it — versions, clock skew, server time — is in its ends. Unless queries sent
   * before auth still wait for answers: then its modifications are read (`answered-before-auth`). A failed
   * query (the app may throw "Unauthenticated") is auth evidence: that Transition is kept whole.
   */
  const plain = parsed.type === "Transition" && !advancing && !interrupted && parsed.queryFailures.length === 0;
  const readsAnswers = !track.identityAdvanced && track.earlyQueries.length > 0;

  const important = parsed.type === "AuthError" || parsed.type === "FatalError" || parsed.type === "invalid" || advancing;
  const keepMsg = msg !== null && !plain && (parsed.type === "AuthError" || parsed.type === "FatalError" || frame.size <= SMALL_MSG);
  const base = { dir: "recv" as const, t, size: frame.size, msg: keepMsg ? msg : null };
  const withProblem = (r: Omit<FrameRecord, "i">): Omit<FrameRecord, "i"> =>
    interrupted ? { ...r, problem: r.problem ? `${r.problem}; ${interrupted}` : interrupted } : r;

  switch (parsed.type) {
    case "invalid":
      recordFrame(d, ci, withProblem({ ...base, type: "invalid", summary: `Unreadable server frame${parsed.claimedType ? ` (${parsed.claimedType})` : ""}`, problem: parsed.reason }), true);
      return;
    case "TransitionChunk": {
      const r = addChunk(track.chunk, parsed);
      const summary = `TransitionChunk part ${parsed.partNumber + 1}/${parsed.totalParts} (${clip(parsed.transitionId, 40)})`;
      if (r.kind === "error") {
        track.chunk = null;
        recordFrame(d, ci, { ...base, type: "TransitionChunk", summary, problem: r.problem }, true);
      } else if (r.kind === "buffering") {
        track.chunk = r.buffer;
        recordFrame(d, ci, { ...base, type: "TransitionChunk", summary }, false);
      } else {
        track.chunk = null;
        const tr = r.transition;
        if (tr.type === "Transition") {
          const advancing = tr.endVersion.identity > tr.startVersion.identity;
          const fi = recordFrame(d, ci, { ...base, type: "TransitionChunk", summary: `${summary}: assembled ${transitionSummary(tr)}` }, advancing);
          onTransition(d, ci, t, tr, fi);
        } else {
          const problem = tr.type === "invalid" ? `assembled chunks: ${tr.reason}` : `Expected Transition, got ${tr.type} after assembling chunks`;
          recordFrame(d, ci, { ...base, type: "TransitionChunk", summary, problem }, true);
        }
      }
      return;
    }
    case "Transition": {
      const fi = recordFrame(d, ci, withProblem({ ...base, type: "Transition", summary: transitionSummary(parsed) }), advancing || !!interrupted);
      onTransition(d, ci, t, parsed, fi);
      return wantEnds && plain && !readsAnswers ? (transitionEnds(frame, parsed) ?? undefined) : undefined;
    }
    case "AuthError": {
      const fi = recordFrame(d, ci, withProblem({ ...base, type: "AuthError", summary: `AuthError (authUpdateAttempted: ${parsed.authUpdateAttempted}): ${clip(parsed.error, 160)}` }), true);
      onAuthError(d, ci, t, parsed, fi);
      return;
    }
    case "FatalError": {
      const fi = recordFrame(d, ci, withProblem({ ...base, type: "FatalError", summary: `FatalError: ${clip(parsed.error, 160)}` }), true);
      c.steps!.push({ k: "fatal", t, frame: fi, error: clip(parsed.error, 2000) });
      d.timeline({ t, kind: "fatal-error", connection: c.id, frame: fi, text: `FatalError: ${clip(parsed.error, 300)}`, severity: "error" });
      return;
    }
    case "MutationResponse":
    case "ActionResponse":
      recordFrame(d, ci, withProblem({ ...base, type: parsed.type, summary: `${parsed.type} #${parsed.requestId} ${parsed.success ? "ok" : `failed: ${clip(parsed.errorMessage ?? "", 120)}`}` }), !!interrupted);
      return;
    case "Ping":
      recordFrame(d, ci, withProblem({ ...base, type: "Ping", summary: "Ping" }), !!interrupted);
      return;
  }
}

function transitionSummary(tr: TransitionMsg): string {
  const s = tr.startVersion;
  const e = tr.endVersion;
  const mods = tr.modificationCount === null ? "read from its ends" : `${tr.modificationCount} modification${tr.modificationCount === 1 ? "" : "s"}`;
  return `Transition qs ${s.querySet}→${e.querySet}, identity ${s.identity}→${e.identity} (${mods})`;
}

function onTransition(d: Draft, ci: number, t: number, tr: TransitionMsg, fi: number | undefined): void {
  const c = d.conn(ci);
  const track = c.track!;
  const steps = c.steps!;
  c.identityVersion = tr.endVersion.identity;
  // The real clock difference: clientClockSkew minus the amount by which clientTs ran ahead of the page clock.
  const offsetMs = typeof track.clientTsOffsetMs === "number" ? track.clientTsOffsetMs : null;
  const skewMs = tr.clientClockSkew === null ? null : tr.clientClockSkew - (offsetMs ?? 0);
  if (skewMs !== null) c.clockSkewMs = skewMs;
  if (tr.serverTsMs !== null) c.serverTimeMs = tr.serverTsMs;
  // Keep skew steps few: the first reading, and the first one beyond ±5 s after an in-range one.
  if (tr.clientClockSkew !== null || tr.serverTsMs !== null) {
    const big = skewMs !== null && Math.abs(skewMs) > SKEW_LIMIT_MS;
    const prev = track.lastSkewMs;
    const prevBig = prev !== undefined && prev !== null && Math.abs(prev) > SKEW_LIMIT_MS;
    if (prev === undefined || (big && !prevBig)) {
      steps.push({ k: "skew", t, frame: fi, skewMs, serverMs: tr.serverTsMs, wireSkewMs: tr.clientClockSkew, offsetMs });
      track.lastSkewMs = skewMs;
    }
  }

  const advancing = tr.endVersion.identity > tr.startVersion.identity;
  if (!advancing) {
    if (!track.identityAdvanced && tr.answered && track.earlyQueries.length) {
      const answered = new Set(tr.answered);
      const hit = track.earlyQueries.filter((q) => answered.has(q));
      if (hit.length) {
        track.earlyQueries = track.earlyQueries.filter((q) => !answered.has(q));
        steps.push({ k: "answered-before-auth", t, frame: fi, count: hit.length });
      }
    }
    return;
  }
  track.identityAdvanced = true;
  track.earlyQueries = [];
  const accepted = track.pending.filter((p) => tr.endVersion.identity > p.baseVersion);
  track.pending = track.pending.filter((p) => !(tr.endVersion.identity > p.baseVersion));
  for (const p of accepted) {
    steps.push({
      k: "accepted",
      t,
      frame: fi,
      tokenType: p.tokenType,
      token: p.token,
      authFrame: p.frame,
      ...(tr.serverTsMs !== null ? { serverMs: tr.serverTsMs } : {}),
    });
    if (p.tokenType === "User") {
      const use = p.token !== undefined ? d.token(p.token) : undefined;
      if (use) use.outcome = "accepted";
      c.auth = "accepted";
      c.identity = use ? identityOf(use.token) : null;
      track.acceptedToken = p.token;
      d.timeline({
        t,
        kind: "auth-accepted",
        connection: c.id,
        frame: fi,
        text: `Token accepted (identity ${tr.startVersion.identity}→${tr.endVersion.identity})${c.identity ? `: ${clip(c.identity, 120)}` : ""}`,
      });
    } else if (p.tokenType === "Admin") {
      c.auth = "admin";
      delete track.acceptedToken;
      c.identity = null;
    } else {
      c.auth = "cleared";
      delete track.acceptedToken;
      c.identity = null;
    }
  }
}

function onAuthError(d: Draft, ci: number, t: number, e: AuthErrorMsg, fi: number | undefined): void {
  const c = d.conn(ci);
  const track = c.track!;
  const stateBefore = c.auth;
  let token: number | undefined;
  // null (field omitted) is read as a rejection when an Authenticate is waiting, else as a later failure.
  const rejection = e.authUpdateAttempted === true || (e.authUpdateAttempted === null && track.pending.length > 0);
  if (rejection) {
    const p = track.pending.find((x) => x.baseVersion === e.baseVersion) ?? track.pending[track.pending.length - 1];
    track.pending = [];
    token = p?.token;
    const use = token !== undefined ? d.token(token) : undefined;
    if (use) {
      use.outcome = "rejected";
      use.error = clip(e.error, 2000);
    }
    c.auth = "rejected";
    c.identity = null;
    delete track.acceptedToken;
  } else {
    token = track.acceptedToken;
    if (c.auth === "accepted") c.auth = "expired";
  }
  c.steps!.push({ k: "auth-error", t, frame: fi, error: clip(e.error, 2000), authUpdateAttempted: e.authUpdateAttempted, baseVersion: e.baseVersion, token, stateBefore });
  d.timeline({
    t,
    kind: "auth-error",
    connection: c.id,
    frame: fi,
    text: `AuthError (${rejection ? "token rejected" : "identity failed after acceptance"}): ${clip(e.error, 300)}`,
    severity: rejection ? "error" : "warning",
  });
}
