/** `admin-key-exposed`: an admin key sent from a web page, over the socket or HTTP. Keys are already masked. */
import { finding } from "../catalogue";
import type { AuthStep, Connection, HttpRequest } from "../../session/types";
import { FindingList } from "./list";
import { ev } from "./view";

/** One connection's Admin Authenticates, once per masked key. */
export class AdminSocketFold {
  readonly out = new FindingList();
  private readonly seen = new Set<string>();

  step(c: Connection, s: AuthStep): void {
    if (s.k !== "authenticate" || s.tokenType !== "Admin") return;
    const key = `${s.adminKeyMasked}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.out.push(
      finding(
        "admin-key-exposed",
        `The page sent an admin key (${s.adminKeyMasked}) over the sync socket to ${c.deployment || "the deployment"} as Authenticate{tokenType:"Admin"}${s.actingAs ? " acting as a user" : ""}: anyone who opens this page can read it.`,
        ev(c, s.frame, s.adminKeyMasked),
      ),
    );
  }
}

/** HTTP calls with `Authorization: Convex …`, once per deployment and masked key. */
export class AdminHttpFold {
  readonly out = new FindingList();
  private readonly seen = new Set<string>();

  request(r: HttpRequest): void {
    if (r.scheme !== "Convex") return;
    const key = `${r.deployment}|${r.adminKeyMasked}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.out.push(
      finding(
        "admin-key-exposed",
        `The page sent an admin key (${r.adminKeyMasked}) as "Authorization: Convex …" to ${r.endpoint} on ${r.deployment || r.url}${r.actingAs ? " acting as a user" : ""}: anyone who opens this page can read it.`,
        { request: r.i, value: r.adminKeyMasked ?? "" },
      ),
    );
  }
}
