/**
 * Redaction of captured events for export. By default every JWT signature is removed and Authorization
 * headers are redacted; admin keys are masked always, even with `includeSecrets`. Works on raw text (not only
 * parsed frames) so a token inside an unparseable or head+tail frame is caught too.
 */
import type { FrameText, HookEvent } from "../capture/events";
import { ENCRYPTED_PARTS_REMOVED, SIGNATURE_REMOVED, maskAdminKey, redactAuthorization } from "../token/redact";
import type { CapturedEvent } from "./types";

export interface RedactOptions {
  /** Keep user tokens and Bearer headers as captured. Admin keys stay masked regardless. */
  includeSecrets?: boolean;
}

/*
 * Every scan below is linear in the text: page data is untrusted, and a regex that retries an unbounded run from
 * each start position (the old `\b[A-Za-z0-9_-]+\|…` took seconds on 64 KB of `a-a-…`) freezes the panel.
 */

/** A maximal `eyJ…` run of base64url parts and dots. It always matches, so the engine never rescans the run. */
const EYJ_RUN = /eyJ[A-Za-z0-9_.-]*/g;
const ADMIN_KEY_PARAM = /([?&]adminKey=)[^&#]*/gi;
const DEPLOYMENT_KINDS = ["prod", "dev", "preview", "project"];

/**
 * JWS (3 parts) or JWE (5 parts) inside one dotted `eyJ…` run, redacted; other parts kept. Leftmost first, as a
 * regex scan would: a token starts at any part holding `eyJ` (what precedes `eyJ` in it is kept either way).
 */
function redactDottedRun(run: string, partsPerToken: 3 | 5): string {
  const parts = run.split(".");
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    const last = i + partsPerToken - 1;
    const fits =
      last < parts.length &&
      parts[i]!.includes("eyJ") &&
      (partsPerToken === 5 ? parts[last]!.length > 0 : parts[i + 1]!.length > 0 && parts[i + 2]!.length > 0);
    if (fits) {
      // The run holds only base64url and dots, so these are exactly what redactToken gives for the token.
      out.push(partsPerToken === 5 ? `${parts[i]}.${ENCRYPTED_PARTS_REMOVED}` : `${parts[i]}.${parts[i + 1]}.${SIGNATURE_REMOVED}`);
      i += partsPerToken;
    } else {
      out.push(parts[i]!);
      i += 1;
    }
  }
  return out.join(".");
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** `[A-Za-z0-9_-]`: a deployment name or key id. */
const isNameChar = (c: number) => isWordChar(c) || c === 45;
/** `[A-Za-z0-9+/=_-]`: the secret part of an admin key. */
const isSecretChar = (c: number) => isNameChar(c) || c === 43 || c === 47 || c === 61;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * A `|` that either kind of key could follow: both need at least 8 secret characters after it (32 hex are 32
 * secret characters). A native scan skips every other `|` (1 MB of `a|a|…` is one pass, not 500 000 loop turns).
 */
const BAR_WITH_SECRET = /\|(?=[A-Za-z0-9+/=_-]{8})/g;

/**
 * Masks admin keys: `prod:name|secret` (and dev/preview/project, secret ≥ 8 chars) and `name|<≥32 hex>`.
 * Scans from each `|`: left over the name, right over the secret; neither scan crosses another `|`, so every
 * character is read a bounded number of times.
 */
function maskAdminKeysIn(text: string): string {
  let out = "";
  let done = 0; // text before this index is already in `out`
  const next = (from: number) => {
    BAR_WITH_SECRET.lastIndex = from;
    return BAR_WITH_SECRET.exec(text)?.index ?? -1;
  };
  for (let bar = next(0); bar !== -1; bar = next(bar + 1)) {
    if (bar < done) continue;
    let right = bar + 1;
    while (right < text.length && isSecretChar(text.charCodeAt(right))) right++;
    let hexEnd = bar + 1;
    while (hexEnd < right && isHex(text.charCodeAt(hexEnd))) hexEnd++;
    // The name: `[A-Za-z0-9_.-]` back to a `:` that follows a deployment kind.
    let left = bar;
    while (left > done && (isNameChar(text.charCodeAt(left - 1)) || text.charCodeAt(left - 1) === 46)) left--;
    let start = -1;
    let end = -1;
    if (left < bar && left > done && text.charCodeAt(left - 1) === 58 && right - bar - 1 >= 8) {
      const kind = DEPLOYMENT_KINDS.find((k) => left - 1 - k.length >= done && text.startsWith(k, left - 1 - k.length));
      if (kind) {
        start = left - 1 - kind.length;
        end = right;
      }
    }
    if (start === -1 && hexEnd - bar - 1 >= 32) {
      // `\b[A-Za-z0-9_-]+\|`: from the first word boundary in the name run (`\b` also sees a character that a
      // previous match consumed).
      let s = bar;
      while (s > done && isNameChar(text.charCodeAt(s - 1))) s--;
      const wordAt = (j: number) => j >= 0 && isWordChar(text.charCodeAt(j));
      while (s < bar && wordAt(s - 1) === wordAt(s)) s++;
      if (s < bar) {
        start = s;
        end = hexEnd;
      }
    }
    if (start === -1) continue;
    out += text.slice(done, start) + maskAdminKey(text.slice(start, end));
    done = end;
    bar = end - 1;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Mask admin keys anywhere in text; remove JWT signatures unless secrets are kept. Linear time. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  let out = maskAdminKeysIn(text).replace(ADMIN_KEY_PARAM, "$1[masked]");
  // JWE first over the whole text, then JWS over the result (a removed JWE's `[` ends any later run).
  if (!opts.includeSecrets) {
    for (const n of [5, 3] as const) out = out.replace(EYJ_RUN, (m) => (m.includes(".") ? redactDottedRun(m, n) : m));
  }
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
