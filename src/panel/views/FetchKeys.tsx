/**
 * Every key-fetch decision of the latest prediction, so none is silent: what was requested (why, and what came
 * back) and what was not (the exact URL and why). One Fetch keys button per origin waiting for consent; one Allow
 * reading button per origin that answered but whose answer the extension may not read.
 */
import { useState } from "preact/hooks";
import { approveFetch, fetched, notFetched, type FetchedRow, type NotFetched } from "../state/keys";
import { allowReading } from "../state/readable";
import { Truncated } from "./Truncated";

export function FetchKeys() {
  const rows = fetched.value;
  const waiting = notFetched.value;
  if (rows.length === 0 && waiting.length === 0) return null;
  return (
    <div class="fetch-keys" data-testid="key-fetches">
      {rows.length > 0 && <Fetched rows={rows} />}
      {waiting.length > 0 && <Waiting waiting={waiting} />}
    </div>
  );
}

function Fetched({ rows }: { rows: readonly FetchedRow[] }) {
  const [msg, setMsg] = useState<string | null>(null);
  const unreadable = [...new Set(rows.map((r) => r.unreadableOrigin).filter((o): o is string => o !== null))];
  return (
    <div data-testid="fetched-list">
      {rows.map((r) => (
        <div class="muted" data-testid="fetched" data-url={r.url} data-state={r.unreadableOrigin ? "unreadable" : r.outcome.startsWith("read") ? "read" : "failed"}>
          Fetched: <Truncated text={r.url} max={160} /> — {r.outcome.length > 300 ? r.outcome.slice(0, 300) + "…" : r.outcome}; because{" "}
          <Truncated text={r.why} max={300} />
        </div>
      ))}
      <OriginButtons
        testid="allow-reading"
        origins={unreadable}
        label="Allow reading"
        title={(o) => `Ask the browser for host access to ${o}, so the extension may read its answers`}
        // allowReading asks the browser first thing, inside this click's gesture.
        onClick={(o) => void allowReading(o).then(setMsg)}
      />
      {msg && <span class="problem">{msg}</span>}
    </div>
  );
}

function Waiting({ waiting }: { waiting: readonly NotFetched[] }) {
  const origins = [...new Set(waiting.map((n) => n.origin).filter((o): o is string => o !== null))];
  return (
    <div data-testid="not-fetched-list">
      {waiting.map((n) => (
        <div class="muted" data-testid="not-fetched" data-url={n.url} data-origin={n.origin ?? ""}>
          Not fetched: <Truncated text={n.url} max={160} /> — <Truncated text={n.reason} max={400} />
        </div>
      ))}
      <OriginButtons
        testid="fetch-keys"
        origins={origins}
        label="Fetch keys from"
        title={(o) => `Allow fetching the discovery document and JWKS URLs shown above from ${o}`}
        onClick={approveFetch}
      />
    </div>
  );
}

/** One button per origin; the origin is page data, shown as bounded text. */
function OriginButtons(props: { testid: string; origins: string[]; label: string; title: (o: string) => string; onClick: (o: string) => void }) {
  return (
    <>
      {props.origins.map((origin) => (
        <button type="button" data-testid={props.testid} data-origin={origin} onClick={() => props.onClick(origin)} title={props.title(origin)}>
          {props.label} <Truncated text={origin} max={100} />
        </button>
      ))}
    </>
  );
}
