/** Details of one timeline row: the frame (redacted) or HTTP request, and the core's reading of error texts. */
import { classifyBackendError } from "../../core/verdict/classify";
import type { Session, TimelineEntry } from "../../core/session/types";
import { clockTime } from "../format";
import { safeJson } from "../state/safe-frame";
import { Truncated } from "./Truncated";

export function Details({ entry, s, onClose }: { entry: TimelineEntry; s: Session; onClose: () => void }) {
  const conn = entry.connection !== undefined ? s.connections.find((c) => c.id === entry.connection) : undefined;
  const frame = conn && entry.frame !== undefined ? conn.frames[entry.frame] : undefined;
  const req = entry.request !== undefined ? s.requests[entry.request] : undefined;
  const errorText =
    frame?.msg && typeof frame.msg.error === "string" && (frame.type === "AuthError" || frame.type === "FatalError")
      ? frame.msg.error
      : req?.error
        ? "message" in req.error
          ? req.error.message
          : req.error.raw
        : null;
  return (
    <div class="details" data-testid="details" role="region" aria-label="Event details">
      <div class="details-head">
        <strong>{entry.kind}</strong> <span class="muted">{clockTime(entry.t)}</span>
        <span class="grow" />
        <button type="button" class="link" data-testid="details-close" title="Close (Esc)" onClick={onClose}>
          ✕
        </button>
      </div>
      <div class="value">
        <Truncated text={entry.text} max={400} />
      </div>
      {frame && (
        <div data-testid="details-frame">
          <div class="muted">
            {frame.dir === "send" ? "sent ↑" : "received ↓"} {frame.type} · {frame.size} bytes · frame {frame.i}
            {frame.problem ? ` · ${frame.problem}` : ""}
          </div>
          {frame.msg ? <pre class="json">{safeJson(frame.msg)}</pre> : <div class="muted">{frame.summary}</div>}
        </div>
      )}
      {req && (
        <div data-testid="details-request">
          <div>
            {req.method} <Truncated text={req.url} max={200} /> → {req.status} ({req.via}, Authorization: {req.scheme})
          </div>
          {req.error && <pre class="json">{safeJson(req.error)}</pre>}
        </div>
      )}
      {errorText !== null && <Classified text={errorText} />}
    </div>
  );
}

/** The backend's error text, read by core into finding IDs. */
export function Classified({ text }: { text: string }) {
  const c = classifyBackendError(text);
  return (
    <div class="classified" data-testid="classified" data-code={c.code} data-ids={c.ids.join(" ")}>
      <div>
        <span class="badge">{c.code}</span> {c.summary}{" "}
        {c.era === "older" && <span class="muted">(older backend text)</span>}
      </div>
      {c.ids.length > 0 && <div class="muted">reads as: {c.ids.join(", ")}</div>}
    </div>
  );
}
