/**
 * What a captured sync frame holds, decided in one place for both directions: a binary frame (Convex sends
 * only JSON text), text that is not JSON, JSON captured whole, or only the ends of a large frame.
 */
import type { FrameText } from "../capture/events";
import { isObject, tryParseJson, type Json } from "./json";

export type FrameContent =
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; reason: string }
  | { kind: "ends"; head: string; tail: string; size: number };

export function frameContent(frame: FrameText, side: "client" | "server"): FrameContent {
  if (!("text" in frame)) return { kind: "ends", head: frame.head, tail: frame.tail, size: frame.size };
  if (frame.binary) {
    return { kind: "invalid", reason: `binary frame of ${frame.size} bytes; the Convex ${side === "client" ? "client" : "backend"} sends JSON text` };
  }
  const j = tryParseJson(frame.text);
  return j.ok ? { kind: "json", value: j.value } : { kind: "invalid", reason: `${side} frame is ${j.reason}` };
}

/** A parsed frame plus its JSON object when it was captured whole (kept for the frame details view). */
export interface ReadFrame<F> {
  parsed: F;
  json: Json | null;
}

export const jsonObjectOf = (c: FrameContent): Json | null => (c.kind === "json" && isObject(c.value) ? c.value : null);
