/** `identity-mismatch`: two Convex clients in one document talk to one deployment as different users. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Connection, Session } from "../../session/types";
import { ev, tokenOf, type StepRef } from "./view";
import { identityOf } from "../../session/summary";
import { elided } from "../../text/elide";

interface Acceptance {
  place: string;
  id: string;
  conn: Connection;
  frame: number | undefined;
}

/**
 * One client's steps in order: the first acceptance of each identity at each doc|deployment. A later
 * acceptance of the same identity there can add nothing: what it would be compared with is what the first saw.
 */
export class IdentityFold {
  readonly firsts: Acceptance[] = [];
  private readonly seen = new Set<string>();

  step(session: Session, { conn, step }: StepRef): void {
    if (step.k !== "accepted" || step.tokenType !== "User") return;
    const use = tokenOf(session, step.token);
    const id = use ? identityOf(use.token) : null;
    if (!id) return;
    const place = `${conn.doc}|${conn.deployment}`;
    const key = `${place}\u0000${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.firsts.push({ place, id, conn, frame: step.frame });
  }
}

/** Across clients, in order: the first client whose identity differs from another client's at one place. */
export function identityFindings(clients: readonly { key: string; identity: IdentityFold }[]): Finding[] {
  const out: Finding[] = [];
  // doc|deployment → identity → first acceptance (client key, connection).
  const seen = new Map<string, Map<string, { client: string; conn: string }>>();
  const reported = new Set<string>();
  for (const client of clients) {
    for (const { place, id, conn, frame } of client.identity.firsts) {
      const ids = seen.get(place) ?? new Map();
      seen.set(place, ids);
      if (!ids.has(id)) ids.set(id, { client: client.key, conn: conn.id });
      // A user switch within one client (sign-out, sign-in) is not a mismatch: only other clients count.
      for (const [other, at] of ids) {
        if (other === id || at.client === client.key || reported.has(place)) continue;
        reported.add(place);
        out.push(
          finding(
            "identity-mismatch",
            `Two connections to ${conn.deployment || "one deployment"} in this page carry different identities: ${at.conn} as ${elided(other, 160)} and ${conn.id} as ${elided(id, 160)}.`,
            ev(conn, frame),
          ),
        );
      }
    }
  }
  return out;
}
