/**
 * Provider lists the deployments themselves reported: the latest dev `NoAuthProvider` text per deployment, from
 * AuthError frames and HTTP 401 bodies in the session. The panel and `analyze` both read providers this way.
 */
import { providersFromNoAuthProviderMessage } from "../config/no-auth-provider";
import type { Provider } from "../config/types";
import type { Session } from "./types";

export function learnedProviders(s: Session): Map<string, Provider[]> {
  return new LearnedProviders().read(s);
}

type Found = { t: number; deployment: string; providers: Provider[] };

/**
 * The same reading for a session that grows in place (core's SessionBuilder: its timeline and request lists
 * are the same arrays, appended to): each `read` looks only at the rows and requests added since the last one.
 * Any other session (new arrays) is read from the start. `read` returns the same Map while nothing new is found.
 */
export class LearnedProviders {
  private timeline: Session["timeline"] | null = null;
  private requests: Session["requests"] | null = null;
  private rows = 0;
  private reqs = 0;
  private found: Found[] = [];
  private out = new Map<string, Provider[]>();

  read(s: Session): Map<string, Provider[]> {
    if (s.timeline !== this.timeline || s.requests !== this.requests || this.rows > s.timeline.length || this.reqs > s.requests.length) {
      this.timeline = s.timeline;
      this.requests = s.requests;
      this.rows = this.reqs = 0;
      this.found = [];
      this.out = new Map();
    }
    const before = this.found.length;
    const byId = new Map(s.connections.map((c) => [c.id, c]));
    for (; this.rows < s.timeline.length; this.rows++) {
      const entry = s.timeline[this.rows]!;
      if (entry.kind !== "auth-error" || entry.connection === undefined || entry.frame === undefined) continue;
      const conn = byId.get(entry.connection);
      const msg = conn?.frames[entry.frame]?.msg;
      const text = msg && typeof msg.error === "string" ? msg.error : null;
      const providers = text ? providersFromNoAuthProviderMessage(text) : null;
      if (conn && providers) this.found.push({ t: entry.t, deployment: conn.deployment, providers });
    }
    for (; this.reqs < s.requests.length; this.reqs++) {
      const r = s.requests[this.reqs]!;
      if (!r.error) continue;
      const providers = providersFromNoAuthProviderMessage("message" in r.error ? r.error.message : r.error.raw);
      if (providers) this.found.push({ t: r.t, deployment: r.deployment, providers });
    }
    if (this.found.length === before) return this.out;
    const sorted = [...this.found].sort((a, b) => a.t - b.t);
    this.out = new Map();
    for (const f of sorted) this.out.set(f.deployment, f.providers);
    return this.out;
  }
}
