/** Client → server frames into the session: the Authenticate / ModifyQuerySet / Connect half of the auth state. */
import type { FrameText } from "../capture/events";
import { decodeToken } from "../token/decode";
import { maskAdminKey } from "../token/redact";
import { readClientFrame } from "../wire/client";
import type { Draft } from "./draft";
import { recordFrame, SMALL_MSG } from "./frames";
import { clip, tokenLabel } from "./summary";

const MAX_EARLY_QUERIES = 1000;

export function applySend(d: Draft, ci: number, t: number, frame: FrameText): void {
  const c = d.conn(ci);
  const track = c.track!;
  const steps = c.steps!;
  const { parsed, json: msg } = readClientFrame(frame);

  const important = parsed.type === "Connect" || parsed.type === "Authenticate" || parsed.type === "ModifyQuerySet";
  const keepMsg = msg !== null && (important || frame.size <= SMALL_MSG);
  const base = { dir: "send" as const, t, size: frame.size, msg: keepMsg ? msg : null };

  switch (parsed.type) {
    case "invalid": {
      recordFrame(d, ci, { ...base, type: "invalid", summary: `Unreadable client frame${parsed.claimedType ? ` (${parsed.claimedType})` : ""}`, problem: parsed.reason }, important);
      return;
    }
    case "Connect": {
      const frameIdx = recordFrame(d, ci, { ...base, type: "Connect", summary: `Connect #${parsed.connectionCount} (lastCloseReason: ${JSON.stringify(parsed.lastCloseReason)})` }, true);
      c.sessionId = parsed.sessionId;
      c.connectionCount = parsed.connectionCount;
      c.lastCloseReason = parsed.lastCloseReason;
      // The hook stamps the frame with the page's Date.now() in the same tick the client read clientTs.
      track.clientTsOffsetMs = parsed.clientTs !== null ? parsed.clientTs - t : null;
      steps.push({ k: "connect", t, frame: frameIdx, sessionId: parsed.sessionId, connectionCount: parsed.connectionCount, lastCloseReason: parsed.lastCloseReason, clientTs: parsed.clientTs });
      d.timeline({
        t,
        kind: "connect",
        connection: c.id,
        frame: frameIdx,
        text: `Connect #${parsed.connectionCount} to ${c.deployment || c.url} (lastCloseReason: ${clip(JSON.stringify(parsed.lastCloseReason), 80)})`,
      });
      return;
    }
    case "Authenticate": {
      if (parsed.tokenType === "User") {
        const tok = decodeToken(parsed.value);
        const summary = `Authenticate(User) baseVersion ${parsed.baseVersion}: ${tokenLabel(tok)}`;
        const frameIdx = recordFrame(d, ci, { ...base, type: "Authenticate", summary }, true);
        const ti = d.addToken({ connection: c.id, frame: frameIdx, t, token: tok, baseVersion: parsed.baseVersion, outcome: "pending" });
        track.pending.push({ baseVersion: parsed.baseVersion, tokenType: "User", token: ti, frame: frameIdx });
        c.auth = "pending";
        steps.push({ k: "authenticate", t, frame: frameIdx, tokenType: "User", baseVersion: parsed.baseVersion, token: ti });
        d.timeline({ t, kind: "authenticate", connection: c.id, frame: frameIdx, text: summary });
      } else if (parsed.tokenType === "Admin") {
        const masked = maskAdminKey(parsed.value);
        const acting = parsed.actingAs !== null;
        const summary = `Authenticate(Admin) baseVersion ${parsed.baseVersion}: admin key ${masked}${acting ? " acting as a user" : ""}`;
        // Admin keys are masked everywhere, even in the kept message (the panel may show it).
        const frameIdx = recordFrame(d, ci, { ...base, msg: base.msg ? { ...base.msg, value: masked } : null, type: "Authenticate", summary }, true);
        track.pending.push({ baseVersion: parsed.baseVersion, tokenType: "Admin", frame: frameIdx });
        c.auth = "admin";
        steps.push({ k: "authenticate", t, frame: frameIdx, tokenType: "Admin", baseVersion: parsed.baseVersion, adminKeyMasked: masked, actingAs: acting });
        d.timeline({ t, kind: "authenticate", connection: c.id, frame: frameIdx, text: summary, severity: "error" });
      } else {
        const summary = `Authenticate(None) baseVersion ${parsed.baseVersion}: auth cleared`;
        const frameIdx = recordFrame(d, ci, { ...base, type: "Authenticate", summary }, true);
        track.pending.push({ baseVersion: parsed.baseVersion, tokenType: "None", frame: frameIdx });
        c.auth = "cleared";
        c.identity = null;
        delete track.acceptedToken;
        steps.push({ k: "authenticate", t, frame: frameIdx, tokenType: "None", baseVersion: parsed.baseVersion });
        d.timeline({ t, kind: "authenticate", connection: c.id, frame: frameIdx, text: summary });
      }
      return;
    }
    case "ModifyQuerySet": {
      const adds = parsed.modifications.filter((m) => m.type === "Add");
      const removed = parsed.modifications.length - adds.length;
      const names = [...new Set(adds.map((m) => (m.type === "Add" ? m.udfPath : "")))].slice(0, 3).map((n) => clip(n, 60));
      const summary = `ModifyQuerySet ${parsed.baseVersion}→${parsed.newVersion}: +${adds.length} −${removed}${names.length ? ` (${names.join(", ")}${adds.length > names.length ? ", …" : ""})` : ""}`;
      const frameIdx = recordFrame(d, ci, { ...base, type: "ModifyQuerySet", summary }, true);
      const beforeAuth = !track.identityAdvanced;
      if (beforeAuth) {
        for (const m of parsed.modifications) {
          if (m.type === "Add" && track.earlyQueries.length < MAX_EARLY_QUERIES) track.earlyQueries.push(m.queryId);
          else if (m.type === "Remove") track.earlyQueries = track.earlyQueries.filter((q) => q !== m.queryId);
        }
      }
      steps.push({ k: "queries", t, frame: frameIdx, added: adds.length, removed, beforeAuth });
      if (adds.length > 0) {
        d.timeline({ t, kind: "queries", connection: c.id, frame: frameIdx, text: `Subscribed to ${adds.length} ${adds.length === 1 ? "query" : "queries"}${names.length ? `: ${names.join(", ")}${adds.length > names.length ? ", …" : ""}` : ""}` });
      }
      return;
    }
    case "Mutation":
    case "Action":
      recordFrame(d, ci, { ...base, type: parsed.type, summary: `${parsed.type} #${parsed.requestId} ${clip(parsed.udfPath, 80)}` }, false);
      return;
    case "Event":
      recordFrame(d, ci, { ...base, type: "Event", summary: `Event ${clip(parsed.eventType, 60)}` }, false);
      return;
  }
}
