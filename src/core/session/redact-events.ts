/**
 * Redaction of captured events for export. By default every JWT signature is removed and Authorization
 * headers are redacted; admin keys are masked always, even with `includeSecrets`. Works on raw text (not only
 * parsed frames) so a token inside an unparseable or head+tail frame is caught too.
 */
import type { FrameText, HookEvent } from "../../hook/events";
import { maskAdminKey, redactAuthorization, redactToken } from "../token/redact";
import type { CapturedEvent } from "./types";

export interface RedactOptions {
  /** Keep user tokens and Bearer headers as captured. Admin keys stay masked regardless. */
  includeSecrets?: boolean;
}

const JWE_TEXT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/g;
const JWT_TEXT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const ADMIN_KEY_TEXT = /(?:prod|dev|preview|project):[A-Za-z0-9_.-]+\|[A-Za-z0-9+/=_-]{8,}|\b[A-Za-z0-9_-]+\|[0-9a-fA-F]{32,}/g;
const ADMIN_KEY_PARAM = /([?&]adminKey=)[^&#]*/gi;

/** Mask admin keys anywhere in text; remove JWT signatures unless secrets are kept. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  let out = text.replace(ADMIN_KEY_TEXT, (m) => maskAdminKey(m)).replace(ADMIN_KEY_PARAM, "$1[masked]");
  if (!opts.includeSecrets) out = out.replace(JWE_TEXT, (m) => redactToken(m)).replace(JWT_TEXT, (m) => redactToken(m));
  return out;
}

function redactFrame(frame: FrameText, opts: RedactOptions): FrameText {
  if ("text" in frame) return { ...frame, text: redactText(frame.text, opts) };
  const head = redactText(frame.head, opts);
  // The tail of a large Authenticate frame is the end of the credential (a signature or key fragment).
  const isAuth = /"Authenticate"/.test(frame.head);
  const isAdmin = isAuth && /"Admin"/.test(frame.head);
  const tail = isAuth && (!opts.includeSecrets || isAdmin) ? "[redacted: end of a large Authenticate frame]" : redactText(frame.tail, opts);
  return { head, tail, size: frame.size };
}

function redactAuthHeader(value: string | null, opts: RedactOptions): string | null {
  if (value === null) return null;
  if (!opts.includeSecrets) return redactAuthorization(value);
  const m = /^\s*(convex)\s+([\s\S]*)$/i.exec(value);
  return m ? `${m[1]} ${maskAdminKey((m[2] ?? "").trim())}` : value;
}

/** One captured event, redacted (a new object; the input is untouched). */
export function redactEvent(e: CapturedEvent, opts: RedactOptions = {}): CapturedEvent {
  const ev = e.ev;
  switch (ev.k) {
    case "ws-send":
    case "ws-recv":
      return { ...e, ev: { ...ev, frame: redactFrame(ev.frame, opts) } };
    case "http": {
      const h: Extract<HookEvent, { k: "http" }> = { ...ev, url: redactText(ev.url, opts), authorization: redactAuthHeader(ev.authorization, opts) };
      if (ev.errorBody !== undefined) h.errorBody = redactText(ev.errorBody, opts);
      return { ...e, ev: h };
    }
    case "ws-new":
    case "installed":
    case "navigated":
      return { ...e, ev: { ...ev, url: redactText(ev.url, opts) } };
    default:
      return { ...e, ev: { ...ev } };
  }
}
