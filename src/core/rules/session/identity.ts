/** `identity-mismatch`: two Convex clients in one document talk to one deployment as different users. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { clientsOf, ev, tokenOf } from "./view";
import { identityOf } from "../../session/summary";
import { elided } from "../../text/elide";

export function identityFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  // doc|deployment → identity → first acceptance (client key, connection, frame).
  const seen = new Map<string, Map<string, { client: string; conn: string; frame: number | undefined }>>();
  const reported = new Set<string>();
  for (const client of clientsOf(session)) {
    for (const { conn, step } of client.steps) {
      if (step.k !== "accepted" || step.tokenType !== "User") continue;
      const use = tokenOf(session, step.token);
      const id = use ? identityOf(use.token) : null;
      if (!id) continue;
      const place = `${conn.doc}|${conn.deployment}`;
      const ids = seen.get(place) ?? new Map();
      seen.set(place, ids);
      if (!ids.has(id)) ids.set(id, { client: client.key, conn: conn.id, frame: step.frame });
      // A user switch within one client (sign-out, sign-in) is not a mismatch: only other clients count.
      for (const [other, at] of ids) {
        if (other === id || at.client === client.key || reported.has(place)) continue;
        reported.add(place);
        out.push(
          finding(
            "identity-mismatch",
            `Two connections to ${conn.deployment || "one deployment"} in this page carry different identities: ${at.conn} as ${elided(other, 160)} and ${conn.id} as ${elided(id, 160)}.`,
            ev(conn, step.frame),
          ),
        );
      }
    }
  }
  return out;
}
