/**
 * Client → server sync frames (reference convex-protocol §2), parsed into typed values.
 * Never throws: malformed or unknown frames become `{ type: "invalid", reason }` with a specific reason,
 * because third-party clients send odd shapes and the panel must say what is wrong with them.
 */
import type { FrameText } from "../capture/events";
import { frameContent, jsonObjectOf, type ReadFrame } from "./frame";
import { clip, isCount, isObject, jsonType, tryParseJson, type Json } from "./json";

export interface ConnectMsg {
  type: "Connect";
  sessionId: string;
  connectionCount: number;
  lastCloseReason: string | null;
  clientTs: number | null;
  maxObservedTimestamp: string | null;
}

export type AuthenticateMsg =
  | { type: "Authenticate"; tokenType: "User"; baseVersion: number; value: string }
  | {
      type: "Authenticate";
      tokenType: "Admin";
      baseVersion: number;
      value: string;
      /** `impersonating` (or the server alias `actingAs`): the identity an admin acts as. */
      actingAs: Json | null;
    }
  | { type: "Authenticate"; tokenType: "None"; baseVersion: number };

export type QuerySetModification =
  | { type: "Add"; queryId: number; udfPath: string; args: unknown; componentPath?: string }
  | { type: "Remove"; queryId: number };

export interface ModifyQuerySetMsg {
  type: "ModifyQuerySet";
  baseVersion: number;
  newVersion: number;
  modifications: QuerySetModification[];
}

export interface RequestMsg {
  type: "Mutation" | "Action";
  requestId: number;
  udfPath: string;
  args: unknown;
  componentPath?: string;
}

export interface EventMsg {
  type: "Event";
  eventType: string;
  event: unknown;
}

export interface InvalidClientFrame {
  type: "invalid";
  /** The frame's own `type` when it had a string one. */
  claimedType: string | null;
  reason: string;
}

export type ClientMessage = ConnectMsg | AuthenticateMsg | ModifyQuerySetMsg | RequestMsg | EventMsg;
export type ClientFrame = ClientMessage | InvalidClientFrame;

const invalid = (claimedType: string | null, reason: string): InvalidClientFrame => ({
  type: "invalid",
  claimedType,
  reason,
});

/** Parse one captured client frame (full text, or head+tail for frames the hook did not keep whole). */
export function parseClientFrame(frame: FrameText): ClientFrame {
  return readClientFrame(frame).parsed;
}

/** Parse one captured client frame and keep its JSON object when it was captured whole. */
export function readClientFrame(frame: FrameText): ReadFrame<ClientFrame> {
  const c = frameContent(frame, "client");
  if (c.kind === "invalid") return { parsed: invalid(null, c.reason), json: null };
  if (c.kind === "json") return { parsed: parseClientMessage(c.value), json: jsonObjectOf(c) };
  const m = /^\s*\{\s*"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(c.head) ?? /"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(c.head);
  const claimed = m?.[1] ?? null;
  const reason = `client frame of ${c.size} bytes was captured as head and tail only${claimed ? ` (a ${claimed})` : ""}; its fields cannot be read`;
  return { parsed: invalid(claimed, reason), json: null };
}

export function parseClientText(text: string): ClientFrame {
  const parsed = tryParseJson(text);
  if (!parsed.ok) return invalid(null, `client frame is ${parsed.reason}`);
  return parseClientMessage(parsed.value);
}

/** Validate an already-parsed client message. */
export function parseClientMessage(v: unknown): ClientFrame {
  if (!isObject(v)) return invalid(null, `client frame is a JSON ${jsonType(v)}, not an object`);
  const type = v.type;
  if (typeof type !== "string") return invalid(null, `client frame has no string "type" (got ${jsonType(type)})`);
  switch (type) {
    case "Connect":
      return connect(v);
    case "Authenticate":
      return authenticate(v);
    case "ModifyQuerySet":
      return modifyQuerySet(v);
    case "Mutation":
    case "Action":
      return request(type, v);
    case "Event":
      if (typeof v.eventType !== "string") return invalid(type, `Event has no string "eventType" (got ${jsonType(v.eventType)})`);
      return { type: "Event", eventType: v.eventType, event: v.event };
    default:
      return invalid(type, `unknown client message type "${clip(type, 40)}"`);
  }
}

function connect(v: Json): ClientFrame {
  if (typeof v.sessionId !== "string") return invalid("Connect", `Connect has no string "sessionId" (got ${jsonType(v.sessionId)})`);
  if (!isCount(v.connectionCount))
    return invalid("Connect", `Connect "connectionCount" must be a non-negative integer (got ${clip(JSON.stringify(v.connectionCount) ?? "undefined", 40)})`);
  const lcr = v.lastCloseReason;
  if (lcr !== undefined && lcr !== null && typeof lcr !== "string")
    return invalid("Connect", `Connect "lastCloseReason" must be a string or null (got ${jsonType(lcr)})`);
  const mot = v.maxObservedTimestamp;
  if (mot !== undefined && typeof mot !== "string")
    return invalid("Connect", `Connect "maxObservedTimestamp" must be a base64 string (got ${jsonType(mot)})`);
  return {
    type: "Connect",
    sessionId: v.sessionId,
    connectionCount: v.connectionCount,
    lastCloseReason: typeof lcr === "string" ? lcr : null,
    clientTs: typeof v.clientTs === "number" ? v.clientTs : null,
    maxObservedTimestamp: typeof mot === "string" ? mot : null,
  };
}

function authenticate(v: Json): ClientFrame {
  const tt = v.tokenType;
  if (tt === undefined)
    return invalid(
      "Authenticate",
      `Authenticate has no "tokenType"; convex@1.48.0 sends "User", "Admin" or "None" and the backend rejects anything else`,
    );
  if (tt !== "User" && tt !== "Admin" && tt !== "None")
    return invalid(
      "Authenticate",
      `Authenticate "tokenType" is ${clip(JSON.stringify(tt) ?? "", 40)}; the backend accepts only "User", "Admin" or "None"`,
    );
  if (!isCount(v.baseVersion))
    return invalid("Authenticate", `Authenticate(${tt}) "baseVersion" must be a non-negative integer (got ${jsonType(v.baseVersion)})`);
  if (tt === "None") return { type: "Authenticate", tokenType: "None", baseVersion: v.baseVersion };
  if (typeof v.value !== "string")
    return invalid("Authenticate", `Authenticate(${tt}) has no string "value" (got ${jsonType(v.value)})`);
  if (tt === "User") return { type: "Authenticate", tokenType: "User", baseVersion: v.baseVersion, value: v.value };
  const acting = v.impersonating ?? v.actingAs;
  if (acting !== undefined && acting !== null && !isObject(acting))
    return invalid("Authenticate", `Authenticate(Admin) "impersonating" must be an object of identity attributes (got ${jsonType(acting)})`);
  return {
    type: "Authenticate",
    tokenType: "Admin",
    baseVersion: v.baseVersion,
    value: v.value,
    actingAs: isObject(acting) ? acting : null,
  };
}

function modifyQuerySet(v: Json): ClientFrame {
  if (!isCount(v.baseVersion) || !isCount(v.newVersion))
    return invalid("ModifyQuerySet", `ModifyQuerySet "baseVersion"/"newVersion" must be non-negative integers`);
  if (!Array.isArray(v.modifications))
    return invalid("ModifyQuerySet", `ModifyQuerySet "modifications" must be an array (got ${jsonType(v.modifications)})`);
  const mods: QuerySetModification[] = [];
  for (const [i, m] of v.modifications.entries()) {
    if (!isObject(m)) return invalid("ModifyQuerySet", `modification ${i} is a ${jsonType(m)}, not an object`);
    if (!isCount(m.queryId)) return invalid("ModifyQuerySet", `modification ${i} has no integer "queryId"`);
    if (m.type === "Remove") mods.push({ type: "Remove", queryId: m.queryId });
    else if (m.type === "Add") {
      if (typeof m.udfPath !== "string") return invalid("ModifyQuerySet", `Add ${i} has no string "udfPath"`);
      const add: QuerySetModification = { type: "Add", queryId: m.queryId, udfPath: m.udfPath, args: m.args };
      if (typeof m.componentPath === "string") add.componentPath = m.componentPath;
      mods.push(add);
    } else return invalid("ModifyQuerySet", `modification ${i} has type ${clip(JSON.stringify(m.type) ?? "undefined", 40)}; expected "Add" or "Remove"`);
  }
  return { type: "ModifyQuerySet", baseVersion: v.baseVersion, newVersion: v.newVersion, modifications: mods };
}

function request(type: "Mutation" | "Action", v: Json): ClientFrame {
  if (!isCount(v.requestId)) return invalid(type, `${type} has no integer "requestId"`);
  if (typeof v.udfPath !== "string") return invalid(type, `${type} has no string "udfPath"`);
  const r: RequestMsg = { type, requestId: v.requestId, udfPath: v.udfPath, args: v.args };
  if (typeof v.componentPath === "string") r.componentPath = v.componentPath;
  return r;
}
