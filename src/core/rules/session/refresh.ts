/**
 * Refresh timing: `refresh-storm` (more than 5 Authenticate within 30 s on one connection, or across a
 * client's reconnect loop) and `refresh-schedule` (observed interval vs `exp - iat - leeway`, reference
 * protocol §4 scheduleTokenRefetch: counted from the server's confirmation).
 */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { clientsOf, ev, rawOf, secs, tokenOf, type StepRef } from "./view";

export const STORM_COUNT = 5;
export const STORM_WINDOW_MS = 30_000;
/** convex-js default `authRefreshTokenLeewaySeconds`. */
export const REFRESH_LEEWAY_S = 10;

export function refreshFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  for (const client of clientsOf(session)) {
    const storm = stormIn(client.steps.filter((r) => r.step.k === "authenticate"));
    if (storm) {
      const conns = new Set(storm.map((r) => r.conn.id)).size;
      const last = storm[storm.length - 1]!;
      const span = last.step.t - storm[0]!.step.t;
      out.push(
        finding(
          "refresh-storm",
          conns === 1
            ? `${storm.length} Authenticate messages within ${secs(span)} on one connection (more than ${STORM_COUNT} in ${STORM_WINDOW_MS / 1000} s): the token is being re-sent in a loop.`
            : `${storm.length} Authenticate messages within ${secs(span)} across ${conns} reconnects of one client (more than ${STORM_COUNT} in ${STORM_WINDOW_MS / 1000} s): a reconnect loop around authentication.`,
          ev(last.conn, last.step.frame),
        ),
      );
    }
    const sched = schedule(session, client.steps);
    if (sched) out.push(sched);
  }
  return out;
}

/** The first window of more than STORM_COUNT authenticates within STORM_WINDOW_MS, or null. */
function stormIn(auths: StepRef[]): StepRef[] | null {
  let lo = 0;
  for (let hi = 0; hi < auths.length; hi++) {
    while (auths[hi]!.step.t - auths[lo]!.step.t > STORM_WINDOW_MS) lo++;
    if (hi - lo + 1 > STORM_COUNT) return auths.slice(lo, hi + 1);
  }
  return null;
}

/**
 * After a fresh token is confirmed, the next different User token sent on the same client without an
 * AuthError in between is a scheduled refresh: compare its delay with exp - iat - leeway.
 */
function schedule(session: Session, steps: StepRef[]): Finding | null {
  const observed: { ms: number; expectedMs: number; ref: StepRef }[] = [];
  let confirmed: { t: number; raw: string | undefined; token: number | undefined; cached: boolean } | null = null;
  let first = true;
  for (const ref of steps) {
    const s = ref.step;
    if (s.k === "accepted" && s.tokenType === "User") {
      const raw = rawOf(session, s.token);
      if (!confirmed || confirmed.raw !== raw) confirmed = { t: s.t, raw, token: s.token, cached: first };
      first = false;
    } else if (s.k === "auth-error" || (s.k === "authenticate" && s.tokenType === "None")) {
      confirmed = null;
      if (s.k === "authenticate") first = true;
    } else if (s.k === "authenticate" && s.tokenType === "User" && confirmed) {
      const raw = rawOf(session, s.token);
      if (raw === confirmed.raw) continue; // a reconnect re-sends the current token
      const p = tokenOf(session, confirmed.token)?.token.payload;
      // The cached token is refetched at once after confirmation (not scheduled): skip it.
      if (!confirmed.cached && p && typeof p.exp === "number" && typeof p.iat === "number")
        observed.push({ ms: s.t - confirmed.t, expectedMs: Math.max(0, (p.exp - p.iat - REFRESH_LEEWAY_S) * 1000), ref });
      confirmed = null;
    }
  }
  const firstObs = observed[0];
  if (!firstObs) return null;
  const list = observed.slice(0, 5).map((o) => `${secs(o.ms)} (expected ${secs(o.expectedMs)})`);
  return finding(
    "refresh-schedule",
    `Observed ${observed.length} scheduled token ${observed.length === 1 ? "refresh" : "refreshes"} after confirmation: ${list.join(", ")}${observed.length > 5 ? ", …" : ""}; with its default ${REFRESH_LEEWAY_S} s leeway the Convex client refreshes exp - iat - ${REFRESH_LEEWAY_S} s after the server confirms a token.`,
    ev(firstObs.ref.conn, firstObs.ref.step.frame),
  );
}
