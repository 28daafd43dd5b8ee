/** `admin-key-exposed`: an admin key sent from a web page, over the socket or HTTP. Keys are already masked. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { ev } from "./view";

export function adminKeyFindings(session: Session): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const c of session.connections) {
    for (const s of c.steps ?? []) {
      if (s.k !== "authenticate" || s.tokenType !== "Admin") continue;
      const key = `ws|${c.id}|${s.adminKeyMasked}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        finding(
          "admin-key-exposed",
          `The page sent an admin key (${s.adminKeyMasked}) over the sync socket to ${c.deployment || "the deployment"} as Authenticate{tokenType:"Admin"}${s.actingAs ? " acting as a user" : ""}: anyone who opens this page can read it.`,
          ev(c, s.frame, s.adminKeyMasked),
        ),
      );
    }
  }
  for (const r of session.requests) {
    if (r.scheme !== "Convex") continue;
    const key = `http|${r.deployment}|${r.adminKeyMasked}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      finding(
        "admin-key-exposed",
        `The page sent an admin key (${r.adminKeyMasked}) as "Authorization: Convex …" to ${r.endpoint} on ${r.deployment || r.url}${r.actingAs ? " acting as a user" : ""}: anyone who opens this page can read it.`,
        { request: r.i, value: r.adminKeyMasked ?? "" },
      ),
    );
  }
  return out;
}
