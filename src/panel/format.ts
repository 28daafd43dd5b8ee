/** Small display formatters (view-only; claim semantics live in core/token). */

export function clockTime(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * A unix-seconds time as the user's local time and ISO (UTC), never a bare epoch:
 * "2.12.2026, 00:40:12 local · 2026-12-01T23:40:12Z". The relative part comes from core's `formatRelative`.
 */
export function localAndIso(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (!Number.isFinite(d.getTime())) return `${seconds} (not a representable time)`;
  return `${d.toLocaleString()} local · ${d.toISOString().replace(/\.000Z$/, "Z")}`;
}

/** JSON for display, bounded so a hostile page cannot freeze the panel. */
export function shortJson(value: unknown, max = 20_000): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch (e) {
    // A RangeError: a token's claims nested deeper than the stack (page data is untrusted).
    text = e instanceof RangeError ? "[not shown: nested too deep to display]" : String(value);
  }
  return text.length > max ? text.slice(0, max) + `\n… (${text.length - max} more characters)` : text;
}
