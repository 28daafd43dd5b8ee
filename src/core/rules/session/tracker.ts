/**
 * Session findings kept up to date as the session grows: each pass reads only the steps and requests added
 * since the last one (the reducer only appends to them), so a pass costs O(new steps + connections + clients),
 * not O(session). The result equals a pass over the whole session (`sessionFindings` is one): every rule reads
 * steps in the order a whole pass would — per connection, or per client with its connections one after another.
 * When that order cannot be kept by appending (a step added to a client's earlier socket, a connection that
 * joins a client before its latest one, a list that was replaced or trimmed), that client is read again from
 * its first step.
 */
import type { Finding } from "../types";
import type { AuthStep, Connection, HttpRequest, Session } from "../../session/types";
import { AdminHttpFold, AdminSocketFold } from "./admin";
import { ClockFold } from "./clock";
import { droppedFindings } from "./dropped";
import { HttpFold } from "./http";
import { IdentityFold, identityFindings } from "./identity";
import { FindingList } from "./list";
import { PresenceFold } from "./presence";
import { RefreshFold } from "./refresh";
import { RejectionFold } from "./rejections";
import { StaleFold } from "./stale";
import { StalledFold, stalledFindings } from "./stalled";
import { clientKey } from "./view";

export interface SessionFindingOptions {
  /**
   * Unix ms, the caller's clock. Only `token-fetch-stalled` depends on elapsed time; without `now` it uses the
   * latest captured event time, so the reducer's findings stay a pure function of the events. The panel passes
   * its ticking clock to see a stall without waiting for another event.
   */
  now?: number;
}

/** How far an append-only list was read: the count, and the last item read (to notice a replaced list). */
interface Read<T> {
  count: number;
  last: T | undefined;
}

/** True when `list` still starts with what was read; then its items from `read.count` on are new. */
function startsWith<T>(list: readonly T[], read: Read<T>): boolean {
  return read.count <= list.length && (read.count === 0 || list[read.count - 1] === read.last);
}

function readTo<T>(list: readonly T[], read: Read<T>): void {
  read.count = list.length;
  read.last = list[list.length - 1];
}

/** Rules that read one connection's steps. */
class ConnRules {
  readonly read: Read<AuthStep> = { count: 0, last: undefined };
  readonly admin = new AdminSocketFold();
  readonly clock = new ClockFold();
  readonly stalled = new StalledFold();
}

/** Rules that read one client's steps, its connections one after another. */
class ClientRules {
  /** Its connections in order, each read this far. */
  readonly conns: { id: string; read: Read<AuthStep> }[] = [];
  readonly stale = new StaleFold();
  readonly rejections = new RejectionFold();
  readonly presence = new PresenceFold();
  readonly refresh = new RefreshFold();
  readonly identity = new IdentityFold();

  /** Whether the client's steps now are its steps as read plus steps appended at the end. */
  canAppend(conns: readonly Connection[]): boolean {
    if (this.conns.length > conns.length) return false;
    return this.conns.every((r, k) => {
      const c = conns[k]!;
      if (c.id !== r.id || !startsWith(c.steps ?? [], r.read)) return false;
      // Only the latest socket read may have grown.
      return k === this.conns.length - 1 || (c.steps ?? []).length === r.read.count;
    });
  }

  feed(session: Session, conns: readonly Connection[]): void {
    for (let k = 0; k < conns.length; k++) {
      const conn = conns[k]!;
      const steps = conn.steps ?? [];
      let r = this.conns[k];
      if (!r) this.conns.push((r = { id: conn.id, read: { count: 0, last: undefined } }));
      for (let i = r.read.count; i < steps.length; i++) {
        const ref = { conn, step: steps[i]! };
        this.stale.step(session, ref);
        this.rejections.step(session, ref);
        this.presence.step(session, ref);
        this.refresh.step(session, ref);
        this.identity.step(session, ref);
      }
      readTo(steps, r.read);
    }
  }
}

export class SessionFindingsTracker {
  private conns = new Map<string, ConnRules>();
  private clients = new Map<string, ClientRules>();
  private requests: Read<HttpRequest> = { count: 0, last: undefined };
  private adminHttp = new AdminHttpFold();
  private http = new HttpFold();

  /** The session findings of `session`, which is the session of the previous call (if any) grown. */
  update(session: Session, opts: SessionFindingOptions = {}): Finding[] {
    const byId = new Map<string, Connection>();
    const groups = new Map<string, Connection[]>();
    const conns = new Map<string, ConnRules>();
    for (const c of session.connections) {
      byId.set(c.id, c);
      const key = clientKey(c);
      const g = groups.get(key);
      if (g) g.push(c);
      else groups.set(key, [c]);
      const steps = c.steps ?? [];
      let rules = this.conns.get(c.id);
      if (!rules || !startsWith(steps, rules.read)) rules = new ConnRules();
      for (let i = rules.read.count; i < steps.length; i++) {
        const s = steps[i]!;
        rules.admin.step(c, s);
        rules.clock.step(session, c, s);
        rules.stalled.step(s);
      }
      readTo(steps, rules.read);
      conns.set(c.id, rules);
    }
    this.conns = conns;

    const clients = new Map<string, ClientRules>();
    for (const [key, list] of groups) {
      let rules = this.clients.get(key);
      if (!rules || !rules.canAppend(list)) rules = new ClientRules();
      rules.feed(session, list);
      clients.set(key, rules);
    }
    this.clients = clients;

    if (!startsWith(session.requests, this.requests)) {
      this.requests = { count: 0, last: undefined };
      this.adminHttp = new AdminHttpFold();
      this.http = new HttpFold();
    }
    for (let i = this.requests.count; i < session.requests.length; i++) {
      this.adminHttp.request(session.requests[i]!);
      this.http.request(session, session.requests[i]!);
    }
    readTo(session.requests, this.requests);

    return this.findings(session, opts, byId);
  }

  /** The findings in the catalogue's order of rules, each rule's in the order of connections or clients. */
  private findings(session: Session, opts: SessionFindingOptions, byId: Map<string, Connection>): Finding[] {
    const clients = [...this.clients.entries()].map(([key, rules]) => ({ key, rules, identity: rules.identity }));
    const conn = (c: Connection) => this.conns.get(c.id)!;
    const clientOf = (c: Connection) => this.clients.get(clientKey(c))!;
    const latest = Math.max(opts.now ?? -Infinity, session.cursor?.lastT ?? -Infinity);
    const all = [
      ...session.connections.flatMap((c) => conn(c).admin.out.items),
      ...this.adminHttp.out.items,
      ...clients.flatMap((c) => c.rules.stale.findings()),
      ...clients.flatMap((c) => c.rules.rejections.findings((id) => byId.get(id))),
      ...stalledFindings(session, latest, (c) => conn(c).stalled),
      ...clients.flatMap((c) => c.rules.presence.clientFindings()),
      ...session.connections.flatMap((c) => clientOf(c).presence.connFindings(c.id)),
      ...clients.flatMap((c) => c.rules.refresh.findings()),
      ...session.connections.flatMap((c) => conn(c).clock.findings()),
      ...this.http.findings(),
      ...identityFindings(clients),
      ...droppedFindings(session),
    ];
    // Each rule's list is capped already; one ID may come from two rules (admin socket and HTTP, stalled twice).
    const out = new FindingList();
    for (const f of all) out.push(f);
    return out.items;
  }
}
