/**
 * A frame's parsed message (or an error body) as display text, through core's export redaction: JWT signatures
 * removed, admin keys masked. The raw token is only ever shown by the inspector's explicit "Reveal".
 */
import { redactText } from "../../core/session/redact-events";
import { shortJson } from "../format";

const MAX_SHOWN = 20_000;

export function safeJson(value: unknown): string {
  // Redact the whole text first, then bound it: a cut must never leave half a token unredacted.
  const text = redactText(shortJson(value, Number.MAX_SAFE_INTEGER));
  return text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + `\n… (${text.length - MAX_SHOWN} more characters)` : text;
}
