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
import { clientsOf, ev, rawOf, tokenOf, who, type StepRef } from "./view";
import { elided } from "../../text/elide";
import { formatRelative } from "../../token/claims";

/** convex-js gives up after 4 attempts from a cached token, 3 from a fresh one; fewer means the refetch failed. */
const GIVE_UP_AFTER = 3;

export function rejectionFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  for (const client of clientsOf(session)) {
    let rejections = 0;
    let lastError = "";
    /** Set by an AuthError the client answers with fetchToken({forceRefreshToken:true}). */
    let forced: { raw: string | undefined; ref: StepRef; why: "rejected" | "expired" } | null = null;
    /** Set when the first (cached) token of a chain is confirmed: the client then refetches at once. */
    let postConfirm: { raw: string | undefined; ref: StepRef } | null = null;
    let chainStart = true;
    const steps = client.steps;
    for (let i = 0; i < steps.length; i++) {
      const ref = steps[i]!;
      const s = ref.step;
      switch (s.k) {
        case "auth-error": {
          const rejected = s.authUpdateAttempted === true || (s.authUpdateAttempted === null && s.stateBefore === "pending");
          if (rejected) {
            rejections++;
            lastError = s.error;
            out.push(rejectedFinding(session, ref.conn, s.frame, s.error, s.token));
            forced = { raw: rawOf(session, s.token), ref, why: "rejected" };
          } else {
            const use = tokenOf(session, s.token);
            const waiting = s.stateBefore === "pending";
            out.push(
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
            if (postConfirm && postConfirm.raw !== undefined && postConfirm.raw === rawOf(session, s.token))
              out.push(
                finding(
                  "same-token-on-refresh",
                  `The server confirmed the cached token (${who(use)}) and the client sent no other token before that token expired on the socket: the Convex client refetches with fetchToken({forceRefreshToken:true}) after confirming a cached token (with initialAuthTokenReuse, before exp), so that call returned the same token (or never returned), and the client schedules no refresh after an identical token.`,
                  ev(ref.conn, s.frame),
                ),
              );
            postConfirm = null;
            if (!waiting) forced = { raw: rawOf(session, s.token), ref, why: "expired" };
          }
          break;
        }
        case "accepted":
          if (s.tokenType !== "User") break;
          rejections = 0;
          forced = null;
          postConfirm = chainStart ? { raw: rawOf(session, s.token), ref } : null;
          chainStart = false;
          break;
        case "authenticate": {
          if (s.tokenType === "User") {
            const raw = rawOf(session, s.token);
            // After an AuthError the client stops its socket and calls fetchToken({forceRefreshToken:true}); the
            // first token on the new socket is that call's result. (An identical token sent on the same socket
            // later is a new setAuth call, which asks for a cached token: not a forced refresh.)
            if (forced && raw !== undefined && raw === forced.raw && ref.conn !== forced.ref.conn) {
              out.push(
                finding(
                  "same-token-on-refresh",
                  `After the ${forced.why === "rejected" ? "rejection" : "expiry"} on ${forced.ref.conn.id}, the client's next socket re-sent the identical token (${who(tokenOf(session, s.token))}): the Convex client asks fetchToken({forceRefreshToken:true}) for a new token after an AuthError, and got the cached one.`,
                  ev(ref.conn, s.frame),
                ),
              );
            }
            forced = null;
            postConfirm = null;
          } else if (s.tokenType === "None") {
            // A None straight after a cached token's confirmation fits both a sign-out and a refetch that
            // returned null: auth-cleared (info) names both; it is not claimed here.
            if (forced)
              out.push(sameTokenNoAuth(ref.conn, s.frame, `after the ${forced.why === "rejected" ? "rejection" : "expiry"}, the client cleared auth (Authenticate None)`));
            forced = null;
            postConfirm = null;
            rejections = 0;
            chainStart = true;
          } else chainStart = true;
          break;
        }
        case "connect": {
          if (!forced && rejections === 0) break;
          // The first auth-relevant step after Connect tells whether this socket carries a token (the client's
          // restart re-sends a User or Admin token it holds; a None there is the app's clearAuth, not a token).
          const next = steps[i + 1];
          if (!next || next.conn !== ref.conn) {
            if (!next && ref.conn.state !== "closed") break; // still live: the Authenticate may be on its way
          } else if (next.step.k === "authenticate" && next.step.tokenType !== "None") break;
          if (rejections > 0)
            out.push(
              finding(
                "client-gave-up",
                `After ${rejections} rejected ${rejections === 1 ? "token" : "tokens"} (last: "${elided(lastError, 200)}"), the client reconnected (Connect #${s.connectionCount}) without Authenticate, so it now runs signed out. ${
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
          forced = null;
          rejections = 0;
          chainStart = true;
          break;
        }
        default:
          break;
      }
    }
  }
  return out;
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
