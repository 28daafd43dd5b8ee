/** Whether and when a token was sent: `no-token-sent`, `auth-cleared`, `queries-before-auth`, `token-accepted`. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { AuthStep, Session } from "../../session/types";
import { clientsOf, ev, tokenOf, who } from "./view";

export function presenceFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  for (const client of clientsOf(session)) {
    const anyAuth = client.steps.some((r) => r.step.k === "authenticate");
    const firstQueries = client.steps.find((r) => r.step.k === "queries" && r.step.added > 0);
    if (!anyAuth && firstQueries && firstQueries.step.k === "queries") {
      const added = client.steps.reduce((n, r) => n + (r.step.k === "queries" ? r.step.added : 0), 0);
      out.push(
        finding(
          "no-token-sent",
          `The sync connection to ${firstQueries.conn.deployment || "the deployment"} subscribed to ${added} ${added === 1 ? "query" : "queries"} and never sent Authenticate: every function saw getUserIdentity() === null.`,
          ev(firstQueries.conn, firstQueries.step.frame),
        ),
      );
    }
  }
  const afterCached = clearedAfterCachedConfirmation(session);
  for (const c of session.connections) {
    const steps = c.steps ?? [];
    const cleared = steps.filter((s) => s.k === "authenticate" && s.tokenType === "None");
    const first = cleared[0];
    const early = cleared.find((s) => afterCached.has(s));
    if (first)
      out.push(
        finding(
          "auth-cleared",
          `The client cleared auth with Authenticate{tokenType:"None"}${cleared.length > 1 ? ` ${cleared.length} times` : ""} on ${c.deployment || "the connection"} (sign-out, or clearAuth() from a React effect cleanup).${
            early
              ? " It came straight after the server confirmed the client's first token, with no other token in between: a sign-out does that, and so does the Convex client itself when the fetchToken({forceRefreshToken:true}) it runs right after confirming a cached token returns null. If nobody signed out, make fetchToken return a token when forceRefreshToken is true."
              : ""
          }`,
          ev(c, (early ?? first).frame),
        ),
      );
    const acceptedAt = steps.findIndex((s) => s.k === "accepted" && s.tokenType === "User");
    if (acceptedAt >= 0) {
      const early = steps.slice(0, acceptedAt).filter((s) => s.k === "answered-before-auth");
      const n = early.reduce((sum, s) => sum + (s.k === "answered-before-auth" ? s.count : 0), 0);
      const firstEarly = early[0];
      if (firstEarly && n > 0)
        out.push(
          finding(
            "queries-before-auth",
            `${n} ${n === 1 ? "query was" : "queries were"} answered before the token was accepted on this connection: ${n === 1 ? "it" : "they"} ran with getUserIdentity() === null.`,
            ev(c, firstEarly.frame),
          ),
        );
    }
    for (const s of steps) {
      if (s.k !== "accepted" || s.tokenType !== "User") continue;
      const use = tokenOf(session, s.token);
      out.push(
        finding(
          "token-accepted",
          `The backend accepted the token (${who(use)})${use?.baseVersion !== undefined ? ` sent with baseVersion ${use.baseVersion}` : ""}: a Transition advanced identity past it.`,
          ev(c, s.frame),
        ),
      );
    }
  }
  return out;
}

/**
 * Authenticate(None) steps that directly follow the confirmation of a client's first token (the cached one
 * setAuth fetched), with no Authenticate in between. The wire cannot tell the client's own clear (its forced
 * refetch returned null, reference protocol §4 refetchToken) from a sign-out, so both are named, as info.
 */
function clearedAfterCachedConfirmation(session: Session): Set<AuthStep> {
  const out = new Set<AuthStep>();
  for (const client of clientsOf(session)) {
    let chainStart = true;
    let justConfirmedCached = false;
    for (const { step: s } of client.steps) {
      if (s.k === "accepted" && s.tokenType === "User") {
        justConfirmedCached = chainStart;
        chainStart = false;
      } else if (s.k === "auth-error") justConfirmedCached = false;
      else if (s.k === "authenticate") {
        if (s.tokenType === "None") {
          if (justConfirmedCached) out.add(s);
          chainStart = true;
        } else if (s.tokenType === "Admin") chainStart = true;
        justConfirmedCached = false;
      }
    }
  }
  return out;
}
