/**
 * Terminal-safe text. Tokens, configs and server texts are untrusted: printed raw, an ESC/OSC/BEL/CR byte in a
 * token's `kid` could clear the screen, set the window title or overwrite a line to read "Verdict ACCEPTED".
 * Every such character is shown as an escape (`\x1b`, `\u202e`) and never sent.
 */
import { MAX_CLAIM_DEPTH, NESTED_TOO_DEEP } from "../token/identity";

/**
 * C0 controls (ESC, BEL, CR, LF, TAB, backspace…), DEL, C1 controls (0x80–0x9f: 8-bit CSI/OSC), the line and
 * paragraph separators, and the bidi controls that reorder what a line appears to say.
 */
const UNSAFE_ABOVE_C0 = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE = new RegExp(`[\\u0000-\\u001f${UNSAFE_ABOVE_C0}]`, "g");
/** In JSON text a raw C0 character can only be the pretty-printing's own newline: JSON.stringify escapes the rest. */
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_ABOVE_C0}]`, "g");

const NAMED: ReadonlyMap<string, string> = new Map([
  ["\n", "\\n"],
  ["\r", "\\r"],
  ["\t", "\\t"],
]);

function escapeChar(ch: string): string {
  const named = NAMED.get(ch);
  if (named !== undefined) return named;
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
}

/** One untrusted string, safe to print: every control and bidi character shown as an escape. */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * JSON text made terminal-safe without changing its value: JSON.stringify already escapes C0 controls, but
 * leaves DEL, C1, U+2028/2029 and the bidi controls raw (valid JSON, harmful on a terminal). Those become
 * `\uXXXX` escapes, which parse back to the same strings.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A deep copy with every string (keys included) escaped by escapeTerminal, nested at most MAX_CLAIM_DEPTH
 * deep (a token can nest 100 000 levels). The report renders from this copy only: one choke point.
 */
export function terminalSafe<T>(value: T, depth = 0): T {
  if (typeof value === "string") return escapeTerminal(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_CLAIM_DEPTH) return NESTED_TOO_DEEP as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafe(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, escapeTerminal(k), { value: terminalSafe(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}
