/**
 * `stale-token-on-reconnect`: on a new socket the client re-sent a token it had used before, and by server
 * time that token's `exp` had already passed. The client re-sends its stored token with every new socket
 * (`Authenticate{baseVersion:0}` after Connect, reference convex-protocol §2) without looking at `exp`, and its
 * refresh timer does not run while a tab sleeps, so a tab that wakes (or a network that comes back) after
 * `exp` sends an expired token (get-convex/templates#253, convex-backend#259).
 *
 * Server time at the Authenticate is the hook's timestamp minus the page-vs-server clock difference the
 * server measured for this client (`clientClockSkew`, corrected for the clientTs offset; see the `skew` step).
 * What the server did outranks that estimate: an acceptance means no finding; a rejection confirms it.
 * Without an answer the finding needs `exp` passed by more than 5 s (the customJwt path's leeway; OIDC
 * rejects at `now >= exp`), so every provider type would reject it.
 */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { AuthStep, Session, TokenUse } from "../../session/types";
import { isoSeconds } from "../../session/summary";
import { ev, rawOf, secs, tokenOf, who, type StepRef } from "./view";
import { elided } from "../../text/elide";

/** The customJwt path accepts a token up to 5 s past `exp` (reference convex-backend-auth §3.2). */
export const EXP_LEEWAY_MS = 5000;

/** A re-sent expired token waiting for the server's answer on its socket. */
interface Resend {
  ref: StepRef;
  use: TokenUse | undefined;
  exp: number;
  lateMs: number;
  skewMs: number | null;
  /** The Connect that opened its socket, when seen. */
  connect: AuthStep | undefined;
}

type Answer = { kind: "accepted" } | { kind: "rejected"; error: string } | null;

/** One client's steps in order. */
export class StaleFold {
  /** In order of the re-sends: a finding, or a re-send whose answer has not arrived yet. */
  private readonly entries: (Finding | Resend)[] = [];
  private readonly waiting = new Set<Resend>();
  /** Raw tokens this client sent on its earlier sockets. */
  private readonly sentEarlier = new Set<string>();
  private readonly sentHere = new Set<string>();
  private conn: string | null = null;
  private connect: AuthStep | undefined;
  private prevEndedInAuthError = false;
  private authErrorHere = false;
  private skewMs: number | null = null;

  step(session: Session, ref: StepRef): void {
    const s = ref.step;
    if (this.waiting.size > 0) this.answer(ref);
    if (ref.conn.id !== this.conn) {
      for (const r of this.sentHere) this.sentEarlier.add(r);
      this.sentHere.clear();
      this.prevEndedInAuthError = this.conn !== null && this.authErrorHere;
      this.authErrorHere = false;
      this.conn = ref.conn.id;
      this.connect = undefined;
    }
    if (s.k === "connect") this.connect = s;
    if (s.k === "skew" && s.skewMs !== null && s.offsetMs !== null) this.skewMs = s.skewMs;
    else if (s.k === "auth-error") this.authErrorHere = true;
    else if (s.k === "accepted") this.authErrorHere = false;
    if (s.k !== "authenticate" || s.tokenType !== "User") return;
    const raw = rawOf(session, s.token);
    if (raw === undefined) return;
    // Only the re-send that opens a later socket, and not after an AuthError (then the client asked
    // fetchToken for a new token: same-token-on-refresh covers an identical one).
    const resend = s.baseVersion === 0 && this.sentEarlier.has(raw) && !this.prevEndedInAuthError && !this.sentHere.size;
    this.sentHere.add(raw);
    if (!resend) return;
    const use = tokenOf(session, s.token);
    const exp = use?.token.payload?.exp;
    if (typeof exp !== "number") return;
    const serverNowMs = s.t - (this.skewMs ?? 0);
    const lateMs = serverNowMs - exp * 1000;
    if (lateMs < 0) return;
    const r: Resend = { ref, use, exp, lateMs, skewMs: this.skewMs, connect: this.connect };
    this.entries.push(r);
    this.waiting.add(r);
  }

  findings(): Finding[] {
    const out: Finding[] = [];
    for (const e of this.entries) {
      const f = "id" in e ? e : staleFinding(e, null);
      if (f) out.push(f);
    }
    return out;
  }

  /** The server's answer to a waiting re-send comes on its own socket; a step on another socket ends the wait. */
  private answer(ref: StepRef): void {
    const s = ref.step;
    for (const r of this.waiting) {
      const token = r.ref.step.k === "authenticate" ? r.ref.step.token : undefined;
      let answer: Answer | undefined;
      if (ref.conn.id !== r.ref.conn.id) answer = null;
      else if (s.k === "accepted" && s.token === token) answer = { kind: "accepted" };
      else if (s.k === "auth-error" && s.token === token && s.authUpdateAttempted !== false) answer = { kind: "rejected", error: s.error };
      if (answer === undefined) continue;
      this.waiting.delete(r);
      const i = this.entries.indexOf(r);
      const f = staleFinding(r, answer);
      if (f) this.entries[i] = f;
      else this.entries.splice(i, 1);
    }
  }
}

/** What the server did outranks the estimate: an acceptance means no finding; no answer needs exp + leeway. */
function staleFinding(r: Resend, answer: Answer): Finding | null {
  if (answer?.kind === "accepted") return null;
  if (!answer && r.lateMs <= EXP_LEEWAY_MS) return null;
  const { ref, use, exp, lateMs, skewMs, connect } = r;
  const s = ref.step;
  const how = connect && connect.k === "connect" ? `Connect #${connect.connectionCount}${connect.lastCloseReason ? ` after "${elided(connect.lastCloseReason, 80)}"` : ""}` : "a new socket";
  const clock =
    skewMs === null
      ? "by this page's clock (the server's clock was not measured for this client)"
      : Math.abs(skewMs) < 1000
        ? "by server time (the server measured the page clock within 1 s of its own)"
        : `by server time (the server measured the page clock ${secs(Math.abs(skewMs))} ${skewMs > 0 ? "ahead" : "behind"})`;
  return finding(
    "stale-token-on-reconnect",
    `After the client reconnected (${how}) it re-sent the token it had used before (${who(use)}), which had expired ${secs(Math.round(lateMs / 100) * 100)} earlier ${clock}, exp ${isoSeconds(exp)}: ${
      answer && answer.kind === "rejected" ? `the backend rejected it with "${elided(answer.error, 200)}"` : "past every provider's leeway, so the backend rejects it"
    }.`,
    ev(ref.conn, s.frame, isoSeconds(exp)),
  );
}
