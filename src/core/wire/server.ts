/**
 * Server → client sync frames (reference convex-protocol §3), parsed into typed values. Never throws.
 * Large frames (head + tail only) are read with the tolerant scanner in scan.ts: for a Transition that is
 * its type and versions from the head and clientClockSkew/serverTs from the tail.
 */
import type { FrameText } from "../capture/events";
import { clip, isCount, isObject, jsonType, tryParseJson, type Json } from "./json";
import { frameContent, jsonObjectOf, type ReadFrame } from "./frame";
import { asVersion, scanNumber, scanString, scanTail, scanType, scanVersion, unescapeFragment, type WireVersion } from "./scan";
import { nsToMs } from "./u64";

export type { WireVersion } from "./scan";

export interface TransitionMsg {
  type: "Transition";
  startVersion: WireVersion;
  endVersion: WireVersion;
  /** Null when the frame was read from its ends only. */
  modificationCount: number | null;
  /** queryIds with a QueryUpdated/QueryFailed in this Transition (null when not read). */
  answered: number[] | null;
  /** QueryFailed modifications (auth-relevant: "Unauthenticated" thrown by the app shows up here). */
  queryFailures: { queryId: number; errorMessage: string }[];
  /** ms, client clock minus server clock; null when absent. */
  clientClockSkew: number | null;
  /** Server time in ms (the wire value is nanoseconds). */
  serverTsMs: number | null;
  /** True when only the head and tail of the frame were available. */
  partial: boolean;
}

export interface TransitionChunkMsg {
  type: "TransitionChunk";
  partNumber: number;
  totalParts: number;
  transitionId: string;
  /** The chunk's text when the frame was captured whole. */
  chunk: string | null;
  /** For head+tail frames: the start and end of the chunk's text (unescaped). */
  chunkHead?: string;
  chunkTail?: string;
}

export interface FunctionResponseMsg {
  type: "MutationResponse" | "ActionResponse";
  requestId: number;
  success: boolean;
  /** The error text when success is false. */
  errorMessage: string | null;
}

export interface AuthErrorMsg {
  type: "AuthError";
  error: string;
  /** The server's identity version at failure (did not advance). */
  baseVersion: number | null;
  /** true: an Authenticate was rejected; false: an accepted identity failed later (expired); null: omitted. */
  authUpdateAttempted: boolean | null;
}

export interface FatalErrorMsg {
  type: "FatalError";
  error: string;
}

export interface PingMsg {
  type: "Ping";
}

export interface InvalidServerFrame {
  type: "invalid";
  claimedType: string | null;
  reason: string;
}

export type ServerMessage =
  | TransitionMsg
  | TransitionChunkMsg
  | FunctionResponseMsg
  | AuthErrorMsg
  | FatalErrorMsg
  | PingMsg;
export type ServerFrame = ServerMessage | InvalidServerFrame;

const invalid = (claimedType: string | null, reason: string): InvalidServerFrame => ({ type: "invalid", claimedType, reason });

/** Parse one captured server frame. */
export function parseServerFrame(frame: FrameText): ServerFrame {
  return readServerFrame(frame).parsed;
}

/** Parse one captured server frame and keep its JSON object when it was captured whole. */
export function readServerFrame(frame: FrameText): ReadFrame<ServerFrame> {
  const c = frameContent(frame, "server");
  if (c.kind === "invalid") return { parsed: invalid(null, c.reason), json: null };
  if (c.kind === "json") return { parsed: parseServerMessage(c.value), json: jsonObjectOf(c) };
  return { parsed: parseHeadTail(c.head, c.tail, c.size), json: null };
}

export function parseServerText(text: string): ServerFrame {
  const parsed = tryParseJson(text);
  if (!parsed.ok) return invalid(null, `server frame is ${parsed.reason}`);
  return parseServerMessage(parsed.value);
}

export function parseServerMessage(v: unknown): ServerFrame {
  if (!isObject(v)) return invalid(null, `server frame is a JSON ${jsonType(v)}, not an object`);
  const type = v.type;
  if (typeof type !== "string") return invalid(null, `server frame has no string "type" (got ${jsonType(type)})`);
  switch (type) {
    case "Transition":
      return transition(v);
    case "TransitionChunk": {
      const meta = chunkMeta(v.partNumber, v.totalParts, v.transitionId);
      if (typeof meta === "string") return invalid(type, meta);
      if (typeof v.chunk !== "string") return invalid(type, `TransitionChunk has no string "chunk" (got ${jsonType(v.chunk)})`);
      return { type, ...meta, chunk: v.chunk };
    }
    case "MutationResponse":
    case "ActionResponse": {
      if (!isCount(v.requestId)) return invalid(type, `${type} has no integer "requestId"`);
      if (typeof v.success !== "boolean") return invalid(type, `${type} has no boolean "success"`);
      return {
        type,
        requestId: v.requestId,
        success: v.success,
        errorMessage: !v.success && typeof v.result === "string" ? v.result : null,
      };
    }
    case "AuthError": {
      if (typeof v.error !== "string") return invalid(type, `AuthError has no string "error" (got ${jsonType(v.error)})`);
      return {
        type,
        error: v.error,
        baseVersion: isCount(v.baseVersion) ? v.baseVersion : null,
        authUpdateAttempted: typeof v.authUpdateAttempted === "boolean" ? v.authUpdateAttempted : null,
      };
    }
    case "FatalError":
      if (typeof v.error !== "string") return invalid(type, `FatalError has no string "error" (got ${jsonType(v.error)})`);
      return { type, error: v.error };
    case "Ping":
      return { type };
    default:
      return invalid(type, `unknown server message type "${clip(type, 40)}"`);
  }
}

function transition(v: Json): ServerFrame {
  const start = asVersion(v.startVersion);
  const end = asVersion(v.endVersion);
  if (!start || !end)
    return invalid("Transition", `Transition "${start ? "endVersion" : "startVersion"}" is not {querySet, identity, ts}`);
  const answered: number[] = [];
  const queryFailures: TransitionMsg["queryFailures"] = [];
  const mods = Array.isArray(v.modifications) ? v.modifications : [];
  for (const m of mods) {
    if (!isObject(m) || !isCount(m.queryId)) continue;
    if (m.type === "QueryUpdated") answered.push(m.queryId);
    else if (m.type === "QueryFailed") {
      answered.push(m.queryId);
      queryFailures.push({ queryId: m.queryId, errorMessage: typeof m.errorMessage === "string" ? clip(m.errorMessage, 500) : "" });
    }
  }
  const serverTs = v.serverTs;
  return {
    type: "Transition",
    startVersion: start,
    endVersion: end,
    modificationCount: Array.isArray(v.modifications) ? v.modifications.length : null,
    answered,
    queryFailures,
    clientClockSkew: typeof v.clientClockSkew === "number" ? v.clientClockSkew : null,
    serverTsMs: typeof serverTs === "number" ? nsToMs(serverTs) : null,
    partial: false,
  };
}

/** Head+tail of a large Transition (the common case) or TransitionChunk; other large frames keep only their type. */
export function parseHeadTail(head: string, tail: string, size: number): ServerFrame {
  const type = scanType(head);
  if (type === "Transition") return transitionFromEnds(head, tail);
  if (type === "TransitionChunk") return chunkFromEnds(head, tail);
  return invalid(type, `server frame of ${size} bytes was captured as head and tail only${type ? ` (a ${type})` : ""}; its fields cannot be read`);
}

/** Transition text known only by its two ends (also used for reassembled chunks). */
export function transitionFromEnds(head: string, tail: string): ServerFrame {
  const start = scanVersion(head, "startVersion");
  const end = scanVersion(head, "endVersion");
  if (!start || !end)
    return invalid("Transition", `large Transition: "${start ? "endVersion" : "startVersion"}" not found in the first ${head.length} characters`);
  const t = scanTail(tail);
  return {
    type: "Transition",
    startVersion: start,
    endVersion: end,
    modificationCount: null,
    answered: null,
    queryFailures: [],
    clientClockSkew: t.clientClockSkew,
    serverTsMs: t.serverTsNs === null ? null : nsToMs(t.serverTsNs),
    partial: true,
  };
}

function chunkFromEnds(head: string, tail: string): ServerFrame {
  // Metadata may sit before the chunk string (in the head) or after it (in the tail).
  const meta = chunkMeta(
    scanNumber(head, "partNumber") ?? scanNumber(tail, "partNumber"),
    scanNumber(head, "totalParts") ?? scanNumber(tail, "totalParts"),
    scanString(head, "transitionId") ?? scanString(tail, "transitionId"),
  );
  if (typeof meta === "string") return invalid("TransitionChunk", `large TransitionChunk: ${meta}`);
  const startAt = /"chunk"\s*:\s*"/.exec(head);
  const chunkHead = startAt ? unescapeFragment(head.slice(startAt.index + startAt[0].length)) : "";
  // The chunk string ends at the last unescaped quote followed only by metadata fields and "}".
  const endAt = /(?<!\\)"\s*((?:,\s*"(?:type|partNumber|totalParts|transitionId)"\s*:\s*(?:-?\d+|"[^"\\]*"))*)\s*\}\s*$/.exec(tail);
  const chunkTail = endAt ? unescapeFragment(tail.slice(0, endAt.index)) : unescapeFragment(tail);
  return { type: "TransitionChunk", ...meta, chunk: null, chunkHead, chunkTail };
}

function chunkMeta(
  partNumber: unknown,
  totalParts: unknown,
  transitionId: unknown,
): { partNumber: number; totalParts: number; transitionId: string } | string {
  if (typeof partNumber !== "number" || !Number.isInteger(partNumber)) return `TransitionChunk has no integer "partNumber"`;
  if (typeof totalParts !== "number" || !Number.isInteger(totalParts)) return `TransitionChunk has no integer "totalParts"`;
  if (typeof transitionId !== "string") return `TransitionChunk has no string "transitionId"`;
  return { partNumber, totalParts, transitionId };
}
