/**
 * `clock-skew`: the page's clock differs from server time by more than ±5 s, or a token's `iat` is in the
 * future relative to server time. The wire's `Transition.clientClockSkew` is `Connect.clientTs` minus server
 * time, and convex-js's `clientTs` runs ahead of the page clock by the page's age when the client first read
 * the clock (reference testing-recipes §7, convex `monotonicMillis()`): the reducer removes that offset,
 * measured from the Connect frame's `clientTs` against the hook's own timestamp (see the `skew` step).
 */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { AuthStep, Connection, Session } from "../../session/types";
import { ev, secs, tokenOf, who } from "./view";

export const SKEW_LIMIT_MS = 5000;

/** One connection: its first skew step beyond the limit, and its first acceptance of a token issued ahead. */
export class ClockFold {
  private skew: Finding | null = null;
  private iat: Finding | null = null;

  step(session: Session, c: Connection, s: AuthStep): void {
    if (!this.skew && s.k === "skew" && s.skewMs !== null && Math.abs(s.skewMs) > SKEW_LIMIT_MS) this.skew = skewFinding(c, s, s.skewMs);
    if (this.iat || s.k !== "accepted" || s.tokenType !== "User" || s.serverMs === undefined) return;
    const use = tokenOf(session, s.token);
    const iat = use?.token.payload?.iat;
    if (typeof iat !== "number") return;
    const aheadMs = iat * 1000 - s.serverMs;
    if (aheadMs > SKEW_LIMIT_MS)
      this.iat = finding(
        "clock-skew",
        `The token (${who(use)}) was issued ${secs(aheadMs)} in the future relative to server time (iat ${new Date(iat * 1000).toISOString()}, server ${new Date(s.serverMs).toISOString()}): the issuer's clock is ahead.`,
        { ...ev(c, s.frame), claim: "iat" },
      );
  }

  findings(): Finding[] {
    return [this.skew, this.iat].filter((f) => f !== null);
  }
}

function skewFinding(c: Connection, big: Extract<AuthStep, { k: "skew" }>, skewMs: number): Finding {
  const dir = skewMs > 0 ? "ahead of" : "behind";
  const wire = big.wireSkewMs ?? skewMs;
  return big.offsetMs === null
    ? // Without the Connect frame the offset is unknown: the wire value may be the page's age, not skew.
      finding(
        "clock-skew",
        `The server reported clientClockSkew ${wire} ms on this connection, but its Connect frame was not captured, so the part of it that is only the page's age (convex-js's clientTs runs ahead of the page clock by it) cannot be removed: the page clock may be ${secs(Math.abs(skewMs))} ${dir} server time, or less.`,
        ev(c, big.frame, `${wire} ms`),
        undefined,
        "info",
      )
    : finding(
        "clock-skew",
        `This page's clock is ${secs(Math.abs(skewMs))} ${dir} server time (limit ±${SKEW_LIMIT_MS / 1000} s): the Transition's clientClockSkew ${wire} ms minus ${big.offsetMs} ms by which the client's Connect.clientTs ran ahead of the page clock.`,
        ev(c, big.frame, `${skewMs} ms`),
      );
}
