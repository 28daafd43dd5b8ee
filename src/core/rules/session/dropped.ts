/** `events-dropped`: never a silent loss — events lost on the way, or frames past a connection's bound. */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { Session } from "../../session/types";

export function droppedFindings(session: Session): Finding[] {
  const framesDropped = session.connections.reduce((n, c) => n + (c.framesDropped ?? 0), 0);
  if (session.dropped <= 0 && framesDropped <= 0) return [];
  const parts: string[] = [];
  if (session.dropped > 0) parts.push(`${session.dropped} captured event${session.dropped === 1 ? " was" : "s were"} lost on the way to the panel`);
  if (framesDropped > 0) parts.push(`${framesDropped} frame${framesDropped === 1 ? " was" : "s were"} counted but not kept (per-connection frame bound)`);
  return [finding("events-dropped", `${parts.join("; ")}: findings may miss what happened in them.`, { value: String(session.dropped + framesDropped) })];
}
