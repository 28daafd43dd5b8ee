/** Small display formatters (view-only; claim semantics live in core/token). */

export function clockTime(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** "4m 12s" style duration for countdowns. */
export function duration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
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
