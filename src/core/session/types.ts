import type { HookEvent } from "../../hook/events";
import type { Finding } from "../rules/types";
import type { DecodedToken } from "../token/types";

/** Events the background adds to the page's own. */
export type RelayEvent =
  /** The tab's top frame navigated (a "preserve log" marker row). */
  | { k: "navigated"; t: number; url: string }
  /** The background's per-tab buffer (or a port queue) dropped this many events. */
  | { k: "dropped"; t: number; count: number };

/** One event as the session reducer receives it: the page's event plus where it came from. */
export interface CapturedEvent {
  /** Global order within the tab, assigned by the background (gaps mean loss). */
  n: number;
  /** Document load the event came from (the hook's `doc`); "" for relay events. */
  doc: string;
  /** Frame id (0 = top frame). */
  frame: number;
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
  /** Latest Transition's clientClockSkew (ms) and serverTs (ms). */
  clockSkewMs?: number;
  serverTimeMs?: number;
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
  /** Session findings (RULES.md §3) derived from the above. */
  findings: Finding[];
}
