/**
 * Typed views of a payload's claims for display: NumericDates as ISO + relative times, `aud` as a list,
 * the token lifetime. Pure: the caller passes `now` (unix seconds).
 */
import type { ClaimView } from "./types";

/** Claims whose numeric value is a NumericDate (seconds since 1970). */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(["iat", "exp", "nbf", "auth_time", "updated_at"]);

/** ISO 8601 (UTC) for a NumericDate, or null when it is not a representable time. */
export function isoTime(seconds: number): string | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return null;
  const ms = seconds * 1000;
  if (Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

const UNITS: ReadonlyArray<[string, number]> = [
  ["d", 86400],
  ["h", 3600],
  ["min", 60],
  ["s", 1],
];

/** A span in at most two units, the larger first: "1 h 2 min", "3 min 5 s", "12 s", "5 d". */
function span(abs: number): string {
  const i = UNITS.findIndex(([, size]) => abs >= size);
  const [bigName, bigSize] = UNITS[i]!;
  const big = Math.floor(abs / bigSize);
  const next = UNITS[i + 1];
  const small = next ? Math.floor((abs - big * bigSize) / next[1]) : 0;
  return next && small > 0 ? `${big} ${bigName} ${small} ${next[0]}` : `${big} ${bigName}`;
}

/** "in 3 min", "12 s ago", "now", "1 h 2 min ago", "3 min 5 s ago": `t` relative to `now` (both unix seconds). */
export function formatRelative(t: number, now: number): string {
  const delta = Math.round(t - now);
  if (delta === 0) return "now";
  const text = span(Math.abs(delta));
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

/** A NumericDate for messages, never a bare epoch: "2026-12-01T12:00:00Z, 1 h 2 min ago". */
export function formatTime(t: number, now: number): string {
  const iso = isoTime(t);
  if (iso === null) return `${t} (not a representable time)`;
  return `${iso.replace(/\.000Z$/, "Z")}, ${formatRelative(t, now)}`;
}

/** A duration for people: "3600 s (1 h)". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const abs = Math.abs(s);
  if (abs < 60) return `${s} s`;
  if (abs < 3600) return `${s} s (${Math.round(s / 60)} min)`;
  if (abs < 172800) return `${s} s (${+(s / 3600).toFixed(1)} h)`;
  return `${s} s (${+(s / 86400).toFixed(1)} d)`;
}

/** One view per claim, in payload order; time claims get `time` and, with `now`, `relative`. */
export function claimViews(payload: Record<string, unknown>, now?: number): ClaimView[] {
  return Object.entries(payload).map(([name, value]) => {
    const view: ClaimView = { name, value };
    if (TIME_CLAIMS.has(name) && typeof value === "number") {
      const iso = isoTime(value);
      if (iso !== null) {
        view.time = iso;
        if (now !== undefined) view.relative = formatRelative(value, now);
      }
    }
    return view;
  });
}

/** `aud` as the backend reads it: a string becomes a one-element list, missing is empty. */
export function audienceList(payload: Record<string, unknown>): string[] {
  const aud = payload.aud;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

/** `exp - iat` in seconds, or null when either is not a number. */
export function lifetimeSeconds(payload: Record<string, unknown>): number | null {
  const { exp, iat } = payload;
  return typeof exp === "number" && typeof iat === "number" ? exp - iat : null;
}

/** A NumericDate claim as a number, or null when absent or not a number. */
export function numericClaim(payload: Record<string, unknown>, name: string): number | null {
  const v = payload[name];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** A summary for headers and reports. */
export interface ClaimsSummary {
  iss: string | null;
  sub: string | null;
  audience: string[];
  issuedAt: string | null;
  expiresAt: string | null;
  /** Relative expiry given `now`, e.g. "in 3 min" / "12 s ago". */
  expiresRelative: string | null;
  lifetime: number | null;
  expired: boolean | null;
}

export function summarizeClaims(payload: Record<string, unknown>, now?: number): ClaimsSummary {
  const exp = numericClaim(payload, "exp");
  const iat = numericClaim(payload, "iat");
  return {
    iss: typeof payload.iss === "string" ? payload.iss : null,
    sub: typeof payload.sub === "string" ? payload.sub : null,
    audience: audienceList(payload),
    issuedAt: iat === null ? null : isoTime(iat),
    expiresAt: exp === null ? null : isoTime(exp),
    expiresRelative: exp === null || now === undefined ? null : formatRelative(exp, now),
    lifetime: lifetimeSeconds(payload),
    expired: exp === null || now === undefined ? null : now >= exp,
  };
}
