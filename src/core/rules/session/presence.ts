/** Whether and when a token was sent: `no-token-sent`, `auth-cleared`, `queries-before-auth`, `token-accepted`. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { AuthStep, Connection, Session } from "../../session/types";
import { FindingList } from "./list";
import { ev, tokenOf, who, type StepRef } from "./view";

/** What one connection showed, read in its client's order (the cleared-after-confirmation test needs it). */
interface ConnPresence {
  conn: Connection;
  cleared: number;
  firstCleared?: AuthStep;
  /** The first Authenticate(None) straight after the confirmation of the client's first token. */
  earlyCleared?: AuthStep;
  accepted: boolean;
  /** Queries answered before the first acceptance on this connection. */
  answeredEarly: number;
  firstAnsweredEarly?: AuthStep;
  tokenAccepted: FindingList;
}

/** One client's steps in order. `no-token-sent` is the client's; the other three are per connection. */
export class PresenceFold {
  private anyAuth = false;
  private firstQueries: StepRef | null = null;
  private added = 0;
  // Authenticate(None) steps that directly follow the confirmation of a client's first token (the cached one
  // setAuth fetched), with no Authenticate in between. The wire cannot tell the client's own clear (its forced
  // refetch returned null, reference protocol §4 refetchToken) from a sign-out, so both are named, as info.
  private chainStart = true;
  private justConfirmedCached = false;
  private readonly conns = new Map<string, ConnPresence>();

  step(session: Session, ref: StepRef): void {
    const s = ref.step;
    if (s.k === "authenticate") this.anyAuth = true;
    if (s.k === "queries") {
      this.added += s.added;
      if (!this.firstQueries && s.added > 0) this.firstQueries = ref;
    }
    let p = this.conns.get(ref.conn.id);
    if (!p) this.conns.set(ref.conn.id, (p = { conn: ref.conn, cleared: 0, accepted: false, answeredEarly: 0, tokenAccepted: new FindingList() }));
    if (s.k === "accepted" && s.tokenType === "User") {
      this.justConfirmedCached = this.chainStart;
      this.chainStart = false;
      p.accepted = true;
      const use = tokenOf(session, s.token);
      p.tokenAccepted.push(
        finding(
          "token-accepted",
          `The backend accepted the token (${who(use)})${use?.baseVersion !== undefined ? ` sent with baseVersion ${use.baseVersion}` : ""}: a Transition advanced identity past it.`,
          ev(ref.conn, s.frame),
        ),
      );
    } else if (s.k === "auth-error") this.justConfirmedCached = false;
    else if (s.k === "authenticate") {
      if (s.tokenType === "None") {
        p.cleared++;
        p.firstCleared ??= s;
        if (this.justConfirmedCached) p.earlyCleared ??= s;
        this.chainStart = true;
      } else if (s.tokenType === "Admin") this.chainStart = true;
      this.justConfirmedCached = false;
    } else if (s.k === "answered-before-auth" && !p.accepted) {
      p.answeredEarly += s.count;
      p.firstAnsweredEarly ??= s;
    }
  }

  /** `no-token-sent`, for the client. */
  clientFindings(): Finding[] {
    const q = this.firstQueries;
    if (this.anyAuth || !q) return [];
    return [
      finding(
        "no-token-sent",
        `The sync connection to ${q.conn.deployment || "the deployment"} subscribed to ${this.added} ${this.added === 1 ? "query" : "queries"} and never sent Authenticate: every function saw getUserIdentity() === null.`,
        ev(q.conn, q.step.frame),
      ),
    ];
  }

  /** `auth-cleared`, `queries-before-auth`, `token-accepted`, for one of the client's connections. */
  connFindings(id: string): Finding[] {
    const p = this.conns.get(id);
    if (!p) return [];
    const out: Finding[] = [];
    const c = p.conn;
    const first = p.firstCleared;
    const early = p.earlyCleared;
    if (first)
      out.push(
        finding(
          "auth-cleared",
          `The client cleared auth with Authenticate{tokenType:"None"}${p.cleared > 1 ? ` ${p.cleared} times` : ""} on ${c.deployment || "the connection"} (sign-out, or clearAuth() from a React effect cleanup).${
            early
              ? " It came straight after the server confirmed the client's first token, with no other token in between: a sign-out does that, and so does the Convex client itself when the fetchToken({forceRefreshToken:true}) it runs right after confirming a cached token returns null. If nobody signed out, make fetchToken return a token when forceRefreshToken is true."
              : ""
          }`,
          ev(c, (early ?? first).frame),
        ),
      );
    const n = p.answeredEarly;
    if (p.accepted && p.firstAnsweredEarly && n > 0)
      out.push(
        finding(
          "queries-before-auth",
          `${n} ${n === 1 ? "query was" : "queries were"} answered before the token was accepted on this connection: ${n === 1 ? "it" : "they"} ran with getUserIdentity() === null.`,
          ev(c, p.firstAnsweredEarly.frame),
        ),
      );
    return out.concat(p.tokenAccepted.items);
  }
}
