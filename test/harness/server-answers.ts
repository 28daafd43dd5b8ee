// What the harness backend did with the latest user token a page sent — accepted (a Transition advanced
// identity past the Authenticate's baseVersion, or an /api call answered 2xx) or rejected (AuthError with
// authUpdateAttempted, or a 401) — read from its own records, independently of the inspector. The demo
// tour checks the panel's headline against it.
import type { Harness } from "./deployment.ts";

export type ServerAnswer = { token: string; did: "accepted" | "rejected" | "no answer" };

type Msg = { type?: string; tokenType?: string; value?: string; baseVersion?: number; endVersion?: { identity?: number }; authUpdateAttempted?: boolean | null };

/**
 * The latest user token the harness received (sync or HTTP) at or after `since` (ms) and its answer; null when
 * no user token came.
 */
export function latestServerAnswer(h: Pick<Harness, "connections" | "httpRequests">, since = 0): ServerAnswer | null {
  let best: (ServerAnswer & { at: number }) | null = null;
  for (const c of h.connections) {
    c.frames.forEach((f, i) => {
      const m = f.data as Msg;
      if (f.dir !== "in" || f.at < since || m.type !== "Authenticate" || m.tokenType !== "User" || typeof m.value !== "string") return;
      if (best && best.at > f.at) return;
      best = { at: f.at, token: m.value, did: syncAnswer(c.frames.slice(i + 1), m.baseVersion ?? 0) };
    });
  }
  for (const r of h.httpRequests) {
    const bearer = /^Bearer (.+)$/.exec(r.authorization ?? "");
    if (!bearer || r.at < since || (best && best.at > r.at)) continue;
    best = { at: r.at, token: bearer[1]!, did: r.status === 401 ? "rejected" : r.status >= 200 && r.status < 300 ? "accepted" : "no answer" };
  }
  if (!best) return null;
  const { at: _at, ...answer } = best;
  return answer;
}

function syncAnswer(after: { dir: string; data: unknown }[], baseVersion: number): ServerAnswer["did"] {
  for (const f of after) {
    const m = f.data as Msg;
    if (f.dir === "in" && m.type === "Authenticate") return "no answer"; // superseded before an answer
    if (f.dir !== "out") continue;
    if (m.type === "Transition" && (m.endVersion?.identity ?? 0) > baseVersion) return "accepted";
    if (m.type === "AuthError" && m.authUpdateAttempted !== false) return "rejected";
  }
  return "no answer";
}
