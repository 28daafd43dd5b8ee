/** Where something is in a capture, in words: HAR entry and message, connection and frame, request, time. */
import type { Place } from "../session/analyze";

export function placeText(at: Place | undefined): string {
  if (!at) return "";
  const parts: string[] = [];
  if (at.entry !== undefined) parts.push(`entry ${at.entry}${at.message !== undefined ? ` message ${at.message}` : ""}`);
  if (at.connection !== undefined) parts.push(`${at.connection}${at.frame !== undefined ? ` frame ${at.frame}` : ""}`);
  if (at.request !== undefined) parts.push(`request ${at.request}`);
  if (at.time) parts.push(at.time);
  return parts.join(", ");
}
