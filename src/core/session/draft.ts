/**
 * Writable view of a Session for one reduction. Copy-on-write (reduceSession): the input is never mutated, and
 * each container (a top-level list, a connection with its frames/steps, a token use) is copied at most once per
 * call, on first write — O(new events + the containers it touches). Owned (SessionBuilder): the caller gave the
 * session up, so the lists that only ever grow — the timeline, the requests, a connection's frames and steps —
 * are appended to in place, and a call costs O(new events) however much the session holds (a 100,000-row
 * timeline is not copied per batch). Everything else still gets a new identity when it changes (a connection,
 * a token use, the connection and token lists: small), because views skip re-rendering what is `===`.
 */
import type { Connection, ConnectionTrack, HttpRequest, Session, TimelineEntry, TokenUse } from "./types";

type ListKey = "docs" | "connections" | "requests" | "tokens" | "timeline";
/** Lists whose entries never change once added. */
const APPEND_ONLY: ReadonlySet<ListKey> = new Set<ListKey>(["timeline", "requests"]);

export class Draft {
  readonly s: Session;
  private lists = new Set<ListKey>();
  private conns = new Set<number>();
  private toks = new Set<number>();
  private indexCloned = false;
  changed = false;

  constructor(
    input: Session,
    private readonly owned = false,
  ) {
    const cursor = input.cursor ? (owned ? input.cursor : { ...input.cursor }) : { lastN: null, connIndex: {} };
    this.s = { ...input, cursor };
    this.indexCloned = owned;
  }

  list<K extends ListKey>(k: K): Session[K] {
    this.changed = true;
    if (!this.lists.has(k)) {
      this.lists.add(k);
      if (!(this.owned && APPEND_ONLY.has(k))) (this.s as unknown as Record<ListKey, unknown[]>)[k] = [...this.s[k]];
    }
    return this.s[k];
  }

  timeline(e: TimelineEntry): void {
    this.list("timeline").push(e);
  }

  connIndex(id: string): number | undefined {
    return this.s.cursor?.connIndex[id];
  }

  addConnection(c: Connection): number {
    const cursor = this.s.cursor!;
    if (!this.indexCloned) {
      cursor.connIndex = { ...cursor.connIndex };
      this.indexCloned = true;
    }
    const list = this.list("connections");
    const i = list.length;
    list.push(c);
    cursor.connIndex[c.id] = i;
    this.conns.add(i); // brand new: already ours
    return i;
  }

  /** The connection at index i, writable. */
  conn(i: number): Connection {
    const list = this.list("connections");
    const c = list[i]!;
    if (this.conns.has(i)) return c;
    this.conns.add(i);
    const copy: Connection = this.owned
      ? { ...c }
      : { ...c, frames: [...c.frames], steps: [...(c.steps ?? [])], track: cloneTrack(c.track) };
    list[i] = copy;
    return copy;
  }

  /** The token use at index i, writable. */
  token(i: number): TokenUse | undefined {
    const list = this.list("tokens");
    const u = list[i];
    if (!u) return undefined;
    if (this.toks.has(i)) return u;
    this.toks.add(i);
    const copy = { ...u };
    list[i] = copy;
    return copy;
  }

  addToken(u: TokenUse): number {
    const list = this.list("tokens");
    list.push(u);
    this.toks.add(list.length - 1);
    return list.length - 1;
  }

  addRequest(r: HttpRequest): void {
    this.list("requests").push(r);
  }
}

export function newTrack(): ConnectionTrack {
  return { pending: [], identityAdvanced: false, earlyQueries: [], chunk: null };
}

function cloneTrack(t: ConnectionTrack | undefined): ConnectionTrack {
  if (!t) return newTrack();
  return { ...t, pending: [...t.pending], earlyQueries: [...t.earlyQueries] };
}
