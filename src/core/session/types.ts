import type { HookEvent } from "../capture/events";
import type { Finding } from "../rules/types";
import type { DecodedToken } from "../token/types";
import type { ChunkBuffer } from "../wire/chunks";

/** Events the background adds to the page's own. */
export type RelayEvent =
  /** The tab's top frame navigated (a "preserve log" marker row). */
  | { k: "navigated"; t: number; url: string }
  /** The background's per-tab buffer (or a port queue) dropped this many events. */
  | {
      k: "dropped";
      t: number;
      count: number;
      /**
       * Why: the tab buffer bound, the browser stopped the background worker while pages it had were gone, or
       * the background rejected a malformed relay message.
       */
      reason?: "tab-buffer" | "worker-stopped" | "invalid";
      /** worker-stopped: the per-document index ranges that were lost (the panel may still hold some). */
      lost?: { doc: string; from: number; to: number }[];
    };

/** One event as the session reducer receives it: the page's event plus where it came from. */
export interface CapturedEvent {
  /** Global order within the tab, assigned by the background (gaps mean loss). */
  n: number;
  /** Document load the event came from (the hook's `doc`); "" for relay events. */
  doc: string;
  /** Frame id (0 = top frame). */
  frame: number;
  /**
   * Per-document index of a page event, assigned by the content relay (0, 1, 2… per `doc`). With `doc` it
   * names an event across relay replays and background restarts (dedup); absent on relay events.
   */
  i?: number;
  ev: HookEvent | RelayEvent;
}

export type ConnectionState = "connecting" | "open" | "closed";

/** Auth as this connection last saw it. */
export type ConnectionAuth =
  | "none" //        no Authenticate sent (yet)
  | "pending" //     Authenticate(User) sent, not yet confirmed
  | "accepted" //    a Transition advanced identity past the Authenticate's baseVersion
  | "rejected" //    AuthError authUpdateAttempted:true
  | "expired" //     AuthError authUpdateAttempted:false
  | "cleared" //     Authenticate(None)
  | "admin"; //      Authenticate(Admin): an admin key from a web page

/** One decoded sync frame. `msg` is the parsed JSON for small frames; large ones keep only what was read. */
export interface FrameRecord {
  /** Index within the connection's frames. */
  i: number;
  dir: "send" | "recv";
  t: number;
  /** The message `type` (`Connect`, `Authenticate`, `Transition`, …) or `invalid`. */
  type: string;
  size: number;
  /** A one-line, credential-free summary for the timeline. */
  summary: string;
  /** Parsed message (small frames only). Authenticate values are kept in memory: they are what we inspect. */
  msg: Record<string, unknown> | null;
  /** Why the frame could not be read, when `type === "invalid"`. */
  problem?: string;
}

export interface TokenUse {
  /** The connection or request that carried it. */
  connection?: string;
  request?: number;
  frame?: number;
  t: number;
  token: DecodedToken;
  /** Authenticate.baseVersion, for sync tokens. */
  baseVersion?: number;
  /** What happened to it, as observed. */
  outcome: "pending" | "accepted" | "rejected" | "unknown";
  /** The backend's error text when rejected. */
  error?: string;
}

export interface Connection {
  /** `${doc}:${ws}`: unique across reloads. */
  id: string;
  doc: string;
  url: string;
  /** The deployment's https URL (`wss://x/api/1.48.0/sync` → `https://x`). */
  deployment: string;
  /** From the URL path, e.g. "1.48.0"; null for `/api/sync`. */
  clientVersion: string | null;
  state: ConnectionState;
  openedAt: number;
  closedAt?: number;
  close?: { code: number; reason: string };
  /** From Connect. */
  sessionId?: string;
  connectionCount?: number;
  lastCloseReason?: string | null;
  /** The server's identity version, from the last Transition's endVersion.identity. */
  identityVersion: number;
  auth: ConnectionAuth;
  /** `iss|sub` of the accepted token (tokenIdentifier). */
  identity: string | null;
  frames: FrameRecord[];
  /**
   * Latest Transition's clock difference (ms, page clock minus server time: clientClockSkew corrected for
   * the client's clientTs offset, see the `skew` step) and serverTs (ms).
   */
  clockSkewMs?: number;
  serverTimeMs?: number;
  /** Frames not kept because the per-connection frame list was full (counted, never silent). */
  framesDropped?: number;
  /** The auth-relevant steps of this connection, in order (what the session rules read). */
  steps?: AuthStep[];
  /** Reducer bookkeeping (plain data, so a session stays replayable and cloneable). */
  track?: ConnectionTrack;
}

/** One auth-relevant thing that happened on a connection; `frame` indexes `Connection.frames` when kept. */
export type AuthStep =
  /** The socket opened (ws-open). The real client sends Connect at once unless its socket is paused for auth. */
  | { k: "open"; t: number; frame?: undefined }
  /** `clientTs` is the client's `monotonicMillis()`; `t` is the hook's `Date.now()` when the frame was sent. */
  | { k: "connect"; t: number; frame?: number; sessionId: string; connectionCount: number; lastCloseReason: string | null; clientTs?: number | null }
  | {
      k: "authenticate";
      t: number;
      frame?: number;
      tokenType: "User" | "Admin" | "None";
      baseVersion: number;
      /** Index in `Session.tokens` (User tokens). */
      token?: number;
      /** Admin key, already masked. */
      adminKeyMasked?: string;
      actingAs?: boolean;
    }
  /** A Transition advanced identity past a pending Authenticate's baseVersion. */
  | {
      k: "accepted";
      t: number;
      frame?: number;
      tokenType: "User" | "Admin" | "None";
      token?: number;
      authFrame?: number;
      /** Server time (ms) from the accepting Transition's serverTs, when sent. */
      serverMs?: number;
    }
  | {
      k: "auth-error";
      t: number;
      frame?: number;
      error: string;
      authUpdateAttempted: boolean | null;
      baseVersion: number | null;
      /** The token this error applies to: the pending one when rejected, the accepted one when expired. */
      token?: number;
      /** Connection auth state when the error arrived. */
      stateBefore: ConnectionAuth;
    }
  | { k: "fatal"; t: number; frame?: number; error: string }
  | { k: "close"; t: number; frame?: number; code: number; reason: string }
  /** Every ModifyQuerySet (`added` may be 0: a reconnect re-sends an empty set). `beforeAuth`: sent before any identity-advancing Transition on this connection. */
  | { k: "queries"; t: number; frame?: number; added: number; removed: number; beforeAuth: boolean }
  /** A Transition answered queries that were added before the first identity-advancing Transition. */
  | { k: "answered-before-auth"; t: number; frame?: number; count: number }
  /**
   * A Transition whose clientClockSkew / serverTs were read. Only recorded when the skew changes. `skewMs` is the
   * page clock minus server time: the wire's `clientClockSkew` (`wireSkewMs`) minus `offsetMs`, by which the
   * client's `clientTs` ran ahead of the page clock at Connect; `offsetMs` is null when no Connect was seen (then
   * `skewMs` is the uncorrected wire value).
   */
  | { k: "skew"; t: number; frame?: number; skewMs: number | null; serverMs: number | null; wireSkewMs: number | null; offsetMs: number | null };

export interface ConnectionTrack {
  /** Authenticates sent and not yet confirmed or rejected (oldest first). */
  pending: { baseVersion: number; tokenType: "User" | "Admin" | "None"; token?: number; frame?: number }[];
  /** Token index currently accepted on this connection. */
  acceptedToken?: number;
  /** Has any Transition advanced identity yet. */
  identityAdvanced: boolean;
  /** queryIds added before the first identity advance and not yet answered. */
  earlyQueries: number[];
  /** TransitionChunk assembly in progress (plain data from core/wire/chunks.ts). */
  chunk: ChunkBuffer | null;
  lastSkewMs?: number | null;
  /**
   * How far the client's `Connect.clientTs` ran ahead of the hook's clock when it was sent (ms). convex-js's
   * `monotonicMillis()` is `Date.now()` at its first clock read plus `performance.now()`, so it is ahead of the
   * page clock by the page's age at that first read; the server's clientClockSkew inherits that offset.
   */
  clientTsOffsetMs?: number | null;
}

/** Reducer bookkeeping on the session itself. */
export interface SessionCursor {
  /** Highest `CapturedEvent.n` applied (gaps above it count as dropped). */
  lastN: number | null;
  /** Connection id → index in `connections`. */
  connIndex: Record<string, number>;
  /** The latest event time seen (ms): the capture itself proves this moment was reached (time-dependent rules). */
  lastT?: number;
}

export interface HttpRequest {
  /** Index in the session's request list. */
  i: number;
  doc: string;
  t: number;
  via: "fetch" | "xhr";
  method: string;
  url: string;
  deployment: string;
  /** `/api/query`, `/api/mutation`, …, or `http-action` for `.convex.site`. */
  endpoint: string;
  scheme: "Bearer" | "Convex" | "other" | "none";
  status: number;
  error?: { code: string; message: string } | { raw: string };
  /** Index in `Session.tokens` for a Bearer token. */
  token?: number;
  /** `Convex` scheme: the admin key, masked; and whether it acts as a user. */
  adminKeyMasked?: string;
  actingAs?: boolean;
  /** `other` scheme: the header's first word and the backend's answer to it. */
  badScheme?: { prefix: string; status: number; code: string; message: string };
  /** A sync connection of the same document and deployment whose token was accepted when this call was made. */
  socketAuthed?: string;
}

export type TimelineKind =
  | "navigation"
  | "connect"
  | "authenticate"
  | "auth-accepted"
  | "auth-error"
  | "fatal-error"
  | "close"
  | "queries"
  | "http"
  | "dropped";

export interface TimelineEntry {
  t: number;
  kind: TimelineKind;
  text: string;
  connection?: string;
  frame?: number;
  request?: number;
  severity?: "error" | "warning" | "info";
}

/** The whole model: a pure function of the captured events (replayable). */
export interface Session {
  /** Document loads seen, in order. */
  docs: { doc: string; url: string; t: number; top: boolean }[];
  connections: Connection[];
  requests: HttpRequest[];
  tokens: TokenUse[];
  timeline: TimelineEntry[];
  /** Events lost anywhere on the way (hook, port, background bound). */
  dropped: number;
  /** Session findings (docs/findings.md, "Session findings") derived from the above. */
  findings: Finding[];
  /** Reducer bookkeeping (absent on an empty session). */
  cursor?: SessionCursor;
}
