/** One-line, credential-free texts for frames and timeline rows. Page data is untrusted: every value is clipped. */
import type { DecodedToken } from "../token/types";
import { clip } from "../wire/json";

/** `iss=… sub=… exp=…` from a decoded token; never the token itself. */
export function tokenLabel(tok: DecodedToken): string {
  const p = tok.payload;
  if (!p) return `${tok.kind} token (${clip(tok.problem ?? "unreadable", 80)})`;
  const parts: string[] = [];
  if (typeof p.iss === "string") parts.push(`iss=${clip(p.iss, 80)}`);
  if (typeof p.sub === "string") parts.push(`sub=${clip(p.sub, 60)}`);
  if (typeof p.exp === "number") parts.push(`exp=${isoSeconds(p.exp)}`);
  return parts.length ? parts.join(" ") : "token without iss/sub/exp";
}

export function isoSeconds(unix: number): string {
  const d = new Date(unix * 1000);
  return Number.isNaN(d.getTime()) ? String(unix) : d.toISOString().replace(".000Z", "Z");
}

/** `iss|sub`, the backend's tokenIdentifier, or null when either is missing. */
export function identityOf(tok: DecodedToken): string | null {
  const p = tok.payload;
  if (!p || typeof p.iss !== "string" || typeof p.sub !== "string") return null;
  return `${p.iss}|${p.sub}`;
}

export { clip };
