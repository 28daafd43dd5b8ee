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
import type { Connection, Session } from "../../session/types";
import { isoSeconds } from "../../session/summary";
import { clientsOf, ev, rawOf, secs, tokenOf, who, type StepRef } from "./view";
import { elided } from "../../text/elide";

/** The customJwt path accepts a token up to 5 s past `exp` (reference convex-backend-auth §3.2). */
export const EXP_LEEWAY_MS = 5000;

export function staleTokenFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  for (const client of clientsOf(session)) {
    const steps = client.steps;
    /** Raw tokens this client sent on its earlier sockets. */
    const sentEarlier = new Set<string>();
    const sentHere = new Set<string>();
    let conn: Connection | null = null;
    let prevEndedInAuthError = false;
    let authErrorHere = false;
    let skewMs: number | null = null;
    for (let i = 0; i < steps.length; i++) {
      const ref = steps[i]!;
      const s = ref.step;
      if (ref.conn !== conn) {
        for (const r of sentHere) sentEarlier.add(r);
        sentHere.clear();
        prevEndedInAuthError = conn !== null && authErrorHere;
        authErrorHere = false;
        conn = ref.conn;
      }
      if (s.k === "skew" && s.skewMs !== null && s.offsetMs !== null) skewMs = s.skewMs;
      else if (s.k === "auth-error") authErrorHere = true;
      else if (s.k === "accepted") authErrorHere = false;
      if (s.k !== "authenticate" || s.tokenType !== "User") continue;
      const raw = rawOf(session, s.token);
      if (raw === undefined) continue;
      // Only the re-send that opens a later socket, and not after an AuthError (then the client asked
      // fetchToken for a new token: same-token-on-refresh covers an identical one).
      const resend = s.baseVersion === 0 && sentEarlier.has(raw) && !prevEndedInAuthError && !sentHere.size;
      sentHere.add(raw);
      if (!resend) continue;
      const use = tokenOf(session, s.token);
      const exp = use?.token.payload?.exp;
      if (typeof exp !== "number") continue;
      const serverNowMs = s.t - (skewMs ?? 0);
      const lateMs = serverNowMs - exp * 1000;
      if (lateMs < 0) continue;
      const answer = answerTo(steps, i, s.token);
      if (answer?.kind === "accepted") continue;
      if (!answer && lateMs <= EXP_LEEWAY_MS) continue;
      const connect = [...steps.slice(0, i)].reverse().find((r) => r.conn === ref.conn && r.step.k === "connect");
      const how = connect && connect.step.k === "connect" ? `Connect #${connect.step.connectionCount}${connect.step.lastCloseReason ? ` after "${elided(connect.step.lastCloseReason, 80)}"` : ""}` : "a new socket";
      const clock =
        skewMs === null
          ? "by this page's clock (the server's clock was not measured for this client)"
          : Math.abs(skewMs) < 1000
            ? "by server time (the server measured the page clock within 1 s of its own)"
            : `by server time (the server measured the page clock ${secs(Math.abs(skewMs))} ${skewMs > 0 ? "ahead" : "behind"})`;
      out.push(
        finding(
          "stale-token-on-reconnect",
          `After the client reconnected (${how}) it re-sent the token it had used before (${who(use)}), which had expired ${secs(Math.round(lateMs / 100) * 100)} earlier ${clock}, exp ${isoSeconds(exp)}: ${
            answer ? `the backend rejected it with "${elided(answer.error, 200)}"` : "past every provider's leeway, so the backend rejects it"
          }.`,
          ev(ref.conn, s.frame, isoSeconds(exp)),
        ),
      );
    }
  }
  return out;
}

/** The server's answer to the Authenticate at `i`, on its own socket. */
function answerTo(steps: StepRef[], i: number, token: number | undefined): { kind: "accepted" } | { kind: "rejected"; error: string } | null {
  const conn = steps[i]!.conn;
  for (let j = i + 1; j < steps.length && steps[j]!.conn === conn; j++) {
    const s = steps[j]!.step;
    if (s.k === "accepted" && s.token === token) return { kind: "accepted" };
    if (s.k === "auth-error" && s.token === token && s.authUpdateAttempted !== false) return { kind: "rejected", error: s.error };
  }
  return null;
}
