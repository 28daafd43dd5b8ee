/** `clock-skew`: Transition.clientClockSkew beyond ±5 s, or a token's `iat` in the future relative to server time. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { ev, secs, tokenOf, who } from "./view";

export const SKEW_LIMIT_MS = 5000;

export function clockFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  for (const c of session.connections) {
    const steps = c.steps ?? [];
    const big = steps.find((s) => s.k === "skew" && s.skewMs !== null && Math.abs(s.skewMs) > SKEW_LIMIT_MS);
    if (big && big.k === "skew" && big.skewMs !== null)
      out.push(
        finding(
          "clock-skew",
          `The server measured this client's clock ${secs(Math.abs(big.skewMs))} ${big.skewMs > 0 ? "ahead of" : "behind"} server time (clientClockSkew ${big.skewMs} ms, limit ±${SKEW_LIMIT_MS / 1000} s).`,
          ev(c, big.frame, `${big.skewMs} ms`),
        ),
      );
    for (const s of steps) {
      if (s.k !== "accepted" || s.tokenType !== "User" || s.serverMs === undefined) continue;
      const use = tokenOf(session, s.token);
      const iat = use?.token.payload?.iat;
      if (typeof iat !== "number") continue;
      const aheadMs = iat * 1000 - s.serverMs;
      if (aheadMs > SKEW_LIMIT_MS) {
        out.push(
          finding(
            "clock-skew",
            `The token (${who(use)}) was issued ${secs(aheadMs)} in the future relative to server time (iat ${new Date(iat * 1000).toISOString()}, server ${new Date(s.serverMs).toISOString()}): the issuer's clock is ahead.`,
            { ...ev(c, s.frame), claim: "iat" },
          ),
        );
        break;
      }
    }
  }
  return out;
}
