/**
 * Provider lists the deployments themselves reported: the latest dev `NoAuthProvider` text per deployment, from
 * AuthError frames and HTTP 401 bodies in the session. The panel and `analyze` both read providers this way.
 */
import { providersFromNoAuthProviderMessage } from "../config/no-auth-provider";
import type { Provider } from "../config/types";
import type { Session } from "./types";

export function learnedProviders(s: Session): Map<string, Provider[]> {
  const found: { t: number; deployment: string; providers: Provider[] }[] = [];
  const byId = new Map(s.connections.map((c) => [c.id, c]));
  for (const entry of s.timeline) {
    if (entry.kind !== "auth-error" || entry.connection === undefined || entry.frame === undefined) continue;
    const conn = byId.get(entry.connection);
    const msg = conn?.frames[entry.frame]?.msg;
    const text = msg && typeof msg.error === "string" ? msg.error : null;
    const providers = text ? providersFromNoAuthProviderMessage(text) : null;
    if (conn && providers) found.push({ t: entry.t, deployment: conn.deployment, providers });
  }
  for (const r of s.requests) {
    if (!r.error) continue;
    const providers = providersFromNoAuthProviderMessage("message" in r.error ? r.error.message : r.error.raw);
    if (providers) found.push({ t: r.t, deployment: r.deployment, providers });
  }
  found.sort((a, b) => a.t - b.t);
  const out = new Map<string, Provider[]>();
  for (const f of found) out.set(f.deployment, f.providers);
  return out;
}
