/**
 * Refresh timing: `refresh-storm` (more than 5 Authenticate within 30 s on one connection, or across a
 * client's reconnect loop) and `refresh-schedule` (observed interval vs `exp - iat - leeway`, reference
 * protocol §4 scheduleTokenRefetch: counted from the server's confirmation).
 */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { ev, rawOf, secs, tokenOf, type StepRef } from "./view";

export const STORM_COUNT = 5;
export const STORM_WINDOW_MS = 30_000;
/** convex-js default `authRefreshTokenLeewaySeconds`. */
export const REFRESH_LEEWAY_S = 10;

interface Observed {
  ms: number;
  expectedMs: number;
  ref: StepRef;
}

/** One client's steps in order: its first storm of Authenticates, and its scheduled refreshes. */
export class RefreshFold {
  /** Authenticates within STORM_WINDOW_MS of the latest one, oldest first, until a storm is found. */
  private window: StepRef[] = [];
  private storm: StepRef[] | null = null;
  // After a fresh token is confirmed, the next different User token sent on the same client without an
  // AuthError in between is a scheduled refresh: compare its delay with exp - iat - leeway.
  private observed: Observed[] = [];
  private observedCount = 0;
  private confirmed: { t: number; raw: string | undefined; token: number | undefined; cached: boolean } | null = null;
  private first = true;

  step(session: Session, ref: StepRef): void {
    const s = ref.step;
    if (s.k === "authenticate" && !this.storm) {
      this.window.push(ref);
      while (s.t - this.window[0]!.step.t > STORM_WINDOW_MS) this.window.shift();
      if (this.window.length > STORM_COUNT) this.storm = this.window;
    }
    if (s.k === "accepted" && s.tokenType === "User") {
      const raw = rawOf(session, s.token);
      if (!this.confirmed || this.confirmed.raw !== raw) this.confirmed = { t: s.t, raw, token: s.token, cached: this.first };
      this.first = false;
    } else if (s.k === "auth-error" || (s.k === "authenticate" && s.tokenType === "None")) {
      this.confirmed = null;
      if (s.k === "authenticate") this.first = true;
    } else if (s.k === "authenticate" && s.tokenType === "User" && this.confirmed) {
      const raw = rawOf(session, s.token);
      if (raw === this.confirmed.raw) return; // a reconnect re-sends the current token
      const p = tokenOf(session, this.confirmed.token)?.token.payload;
      // The cached token is refetched at once after confirmation (not scheduled): skip it.
      if (!this.confirmed.cached && p && typeof p.exp === "number" && typeof p.iat === "number") {
        this.observedCount++;
        // Only the first few are named in the message.
        if (this.observed.length < 5) this.observed.push({ ms: s.t - this.confirmed.t, expectedMs: Math.max(0, (p.exp - p.iat - REFRESH_LEEWAY_S) * 1000), ref });
      }
      this.confirmed = null;
    }
  }

  findings(): Finding[] {
    const out: Finding[] = [];
    const storm = this.storm;
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
    const firstObs = this.observed[0];
    if (!firstObs) return out;
    const n = this.observedCount;
    const list = this.observed.map((o) => `${secs(o.ms)} (expected ${secs(o.expectedMs)})`);
    out.push(
      finding(
        "refresh-schedule",
        `Observed ${n} scheduled token ${n === 1 ? "refresh" : "refreshes"} after confirmation: ${list.join(", ")}${n > 5 ? ", …" : ""}; with its default ${REFRESH_LEEWAY_S} s leeway the Convex client refreshes exp - iat - ${REFRESH_LEEWAY_S} s after the server confirms a token.`,
        ev(firstObs.ref.conn, firstObs.ref.step.frame),
      ),
    );
    return out;
  }
}
