/**
 * What the latest prediction did not fetch, with the exact URLs and why (core's fetch policy), and the user's
 * explicit consent: one Fetch keys button per origin waiting for it.
 */
import { useState } from "preact/hooks";
import { approveFetch, notFetched } from "../state/keys";
import { Truncated } from "./Truncated";

export function FetchKeys() {
  const [msg, setMsg] = useState<string | null>(null);
  const waiting = notFetched.value;
  if (waiting.length === 0) return null;
  const origins = [...new Set(waiting.map((n) => n.origin).filter((o): o is string => o !== null))];
  return (
    <div class="fetch-keys" data-testid="not-fetched-list">
      {waiting.map((n) => (
        <div class="muted" data-testid="not-fetched" data-url={n.url} data-origin={n.origin ?? ""}>
          Not fetched: <Truncated text={n.url} max={160} /> — <Truncated text={n.reason} max={400} />
        </div>
      ))}
      {origins.map((origin) => (
        <button
          type="button"
          data-testid="fetch-keys"
          data-origin={origin}
          onClick={() => void approveFetch([origin]).then(setMsg)}
          title={`Allow fetching the discovery document and JWKS from ${origin}`}
        >
          Fetch keys from <Truncated text={origin} max={100} />
        </button>
      ))}
      {msg && <span class="problem">{msg}</span>}
    </div>
  );
}
