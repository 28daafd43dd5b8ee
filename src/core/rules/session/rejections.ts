/**
 * What happened after the backend said no (reference protocol §4 "On an AuthError", backend §5.1):
 * `token-rejected`, `identity-expired`, `client-gave-up`, `same-token-on-refresh`.
 * Followed per client across its sockets, because the client answers an AuthError by stopping the socket
 * and re-authenticating on a new one.
 */
import { classifyBackendError } from "../../verdict/classify";
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Connection, Session } from "../../session/types";
import { FindingList } from "./list";
import { ev, rawOf, tokenOf, who, type StepRef } from "./view";
import { elided } from "../../text/elide";
import { formatRelative } from "../../token/claims";

/** convex-js gives up after 4 attempts from a cached token, 3 from a fresh one; fewer means the refetch failed. */
const GIVE_UP_AFTER = 3;

/** One client's steps in order. */
export class RejectionFold {
  private readonly out = new FindingList();
  private rejections = 0;
  private lastError = "";
  /** Set by an AuthError the client answers with fetchToken({forceRefreshToken:true}). */
  private forced: { raw: string | undefined; ref: StepRef; why: "rejected" | "expired" } | null = null;
  /** Set when the first (cached) token of a chain is confirmed: the client then refetches at once. */
  private postConfirm: { raw: string | undefined; ref: StepRef } | null = null;
  private chainStart = true;
  /** A Connect after rejections, decided by the step that follows it (none yet: decided when read). */
  private connect: StepRef | null = null;

  step(session: Session, ref: StepRef): void {
    if (this.connect) {
      const connect = this.connect;
      this.connect = null;
      // The first auth-relevant step after Connect tells whether this socket carries a token (the client's
      // restart re-sends a User or Admin token it holds; a None there is the app's clearAuth, not a token).
      const carriesToken = ref.conn.id === connect.conn.id && ref.step.k === "authenticate" && ref.step.tokenType !== "None";
      if (!carriesToken) this.gaveUp(connect, this.out);
    }
    const s = ref.step;
    switch (s.k) {
      case "auth-error": {
        const rejected = s.authUpdateAttempted === true || (s.authUpdateAttempted === null && s.stateBefore === "pending");
        if (rejected) {
          this.rejections++;
          this.lastError = s.error;
          this.out.push(rejectedFinding(session, ref.conn, s.frame, s.error, s.token));
          this.forced = { raw: rawOf(session, s.token), ref, why: "rejected" };
        } else {
          const use = tokenOf(session, s.token);
          const waiting = s.stateBefore === "pending";
          this.out.push(
            finding(
              "identity-expired",
              `The backend failed the accepted identity (${who(use)}) with "${elided(s.error, 200)}"${expiryNote(use, s.t)}${waiting ? "; a new token was waiting for confirmation, and the Convex client ignores this error then" : ""}.`,
              ev(ref.conn, s.frame),
            ),
          );
          // Right after confirming a cached token the client refetches with forceRefreshToken:true (with
          // initialAuthTokenReuse, on a schedule before exp); a different token would have been sent and a
          // null one would have cleared auth (None). Neither was: the refetch returned the same token, which
          // the client does not send and after which it schedules no refresh.
          if (this.postConfirm && this.postConfirm.raw !== undefined && this.postConfirm.raw === rawOf(session, s.token))
            this.out.push(
              finding(
                "same-token-on-refresh",
                `The server confirmed the cached token (${who(use)}) and the client sent no other token before that token expired on the socket: the Convex client refetches with fetchToken({forceRefreshToken:true}) after confirming a cached token (with initialAuthTokenReuse, before exp), so that call returned the same token (or never returned), and the client schedules no refresh after an identical token.`,
                ev(ref.conn, s.frame),
              ),
            );
          this.postConfirm = null;
          if (!waiting) this.forced = { raw: rawOf(session, s.token), ref, why: "expired" };
        }
        break;
      }
      case "accepted":
        if (s.tokenType !== "User") break;
        this.rejections = 0;
        this.forced = null;
        this.postConfirm = this.chainStart ? { raw: rawOf(session, s.token), ref } : null;
        this.chainStart = false;
        break;
      case "authenticate": {
        if (s.tokenType === "User") {
          const raw = rawOf(session, s.token);
          const forced = this.forced;
          // After an AuthError the client stops its socket and calls fetchToken({forceRefreshToken:true}); the
          // first token on the new socket is that call's result. (An identical token sent on the same socket
          // later is a new setAuth call, which asks for a cached token: not a forced refresh.)
          if (forced && raw !== undefined && raw === forced.raw && ref.conn.id !== forced.ref.conn.id) {
            this.out.push(
              finding(
                "same-token-on-refresh",
                `After the ${forced.why === "rejected" ? "rejection" : "expiry"} on ${forced.ref.conn.id}, the client's next socket re-sent the identical token (${who(tokenOf(session, s.token))}): the Convex client asks fetchToken({forceRefreshToken:true}) for a new token after an AuthError, and got the cached one.`,
                ev(ref.conn, s.frame),
              ),
            );
          }
          this.forced = null;
          this.postConfirm = null;
        } else if (s.tokenType === "None") {
          // A None straight after a cached token's confirmation fits both a sign-out and a refetch that
          // returned null: auth-cleared (info) names both; it is not claimed here.
          if (this.forced)
            this.out.push(sameTokenNoAuth(ref.conn, s.frame, `after the ${this.forced.why === "rejected" ? "rejection" : "expiry"}, the client cleared auth (Authenticate None)`));
          this.forced = null;
          this.postConfirm = null;
          this.rejections = 0;
          this.chainStart = true;
        } else this.chainStart = true;
        break;
      }
      case "connect":
        if (this.forced || this.rejections > 0) this.connect = ref;
        break;
      default:
        break;
    }
  }

  /**
   * The findings so far. A Connect after rejections that is the client's latest step counts as giving up once
   * its socket closed without a token; while the socket is live the Authenticate may be on its way.
   */
  findings(current: (id: string) => Connection | undefined): Finding[] {
    const connect = this.connect;
    if (!connect || current(connect.conn.id)?.state !== "closed") return this.out.items;
    const out = new FindingList();
    for (const f of this.out.items) out.push(f);
    this.findingsAfter(connect, out);
    return out.items;
  }

  /** A Connect without a token after rejections or a failed forced refresh: what it says (and the state it resets). */
  private gaveUp(ref: StepRef, out: FindingList): void {
    this.findingsAfter(ref, out);
    this.forced = null;
    this.rejections = 0;
    this.chainStart = true;
  }

  private findingsAfter(ref: StepRef, out: FindingList): void {
    const s = ref.step;
    if (s.k !== "connect") return;
    const { rejections, forced } = this;
    if (rejections > 0)
      out.push(
        finding(
          "client-gave-up",
          `After ${rejections} rejected ${rejections === 1 ? "token" : "tokens"} (last: "${elided(this.lastError, 200)}"), the client reconnected (Connect #${s.connectionCount}) without Authenticate, so it now runs signed out. ${
            rejections >= GIVE_UP_AFTER
              ? "The Convex client gives up after a token is rejected 3 times in a row (4 when it started from a cached token) and clears its auth."
              : "The Convex client gives up before its retry limit (3 rejections in a row, 4 from a cached token) when the forced refresh after a rejection returns no new token."
          }`,
          ev(ref.conn, s.frame),
        ),
      );
    if (forced && rejections < GIVE_UP_AFTER)
      out.push(
        sameTokenNoAuth(
          ref.conn,
          s.frame,
          `after the ${forced.why === "rejected" ? "rejection" : "expiry"}, the client reconnected (Connect #${s.connectionCount}) without any token`,
        ),
      );
  }
}

function sameTokenNoAuth(conn: Connection, frame: number | undefined, what: string): Finding {
  return finding(
    "same-token-on-refresh",
    `Forced refresh failed: ${what}. fetchToken({forceRefreshToken:true}) returned the same token or null.`,
    ev(conn, frame),
  );
}

function rejectedFinding(session: Session, conn: Connection, frame: number | undefined, error: string, token: number | undefined): Finding {
  const c = classifyBackendError(error);
  const ids = c.ids.length ? c.ids.join(", ") : "unclassified";
  const era = c.era === "older" ? " (older backend text)" : "";
  return finding(
    "token-rejected",
    `The backend rejected the token (${who(tokenOf(session, token))}) with "${elided(error, 300)}" — ${c.code}: ${c.summary}${era} [${ids}].`,
    ev(conn, frame, ids),
  );
}

/** "(token exp 2026-12-01T23:47:58Z, 2 s before this error)": ISO and relative to the error, never an epoch. */
function expiryNote(use: ReturnType<typeof tokenOf>, errorMs: number): string {
  const exp = use?.token.payload?.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return "";
  const iso = new Date(exp * 1000).toISOString().replace(/\.000Z$/, "Z");
  const delta = Math.round(errorMs / 1000 - exp);
  const rel = delta === 0 ? "at the time of this error" : `${formatRelative(Math.abs(delta), 0).replace(/^in /, "")} ${delta > 0 ? "before" : "after"} this error`;
  return ` (token exp ${iso}, ${rel})`;
}
