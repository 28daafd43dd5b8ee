/**
 * The inspected token: where it was sent, header, claims with human times and a live expiry countdown, the raw
 * value behind an explicit Reveal (nothing of it shows before), and the identity preview. Its verdict
 * headline is Verdict.tsx, above the findings.
 */
import { useEffect, useState } from "preact/hooks";
import { claimViews } from "../../core/token/claims";
import { identityPreview } from "../../core/token/identity";
import type { TokenUse } from "../../core/session/types";
import { formatRelative } from "../../core/token/claims";
import { plural } from "../../core/text/plural";
import { clockTime, localAndIso, shortJson } from "../format";
import { nowSec } from "../state/clock";
import { prediction } from "../state/prediction";
import { inspectedToken, pickedToken } from "../state/selection";
import { session } from "../state/session";
import { Truncated } from "./Truncated";

export function TokenInspector() {
  const inspected = inspectedToken.value;
  const s = session.value;
  if (!inspected) {
    return (
      <div class="inspector empty" data-testid="token-inspector">
        No token seen yet. Tokens appear when the page sends <code>Authenticate</code> on a sync socket or an{" "}
        <code>Authorization: Bearer</code> header over HTTP.
      </div>
    );
  }
  const { index, use } = inspected;
  return (
    <div class="inspector" data-testid="token-inspector" data-token-index={index} data-outcome={use.outcome}>
      <TokenPicker index={index} count={s.tokens.length} />
      <Where use={use} />
      <Raw use={use} />
      <Countdown use={use} />
      {use.token.problem && (
        <div class="problem" data-testid="token-problem">
          {use.token.problem}
        </div>
      )}
      {use.token.header && (
        <details open>
          <summary>Header</summary>
          <pre class="json" data-testid="token-header">
            {shortJson(use.token.header)}
          </pre>
        </details>
      )}
      {use.token.payload && <Claims payload={use.token.payload} />}
      {use.token.payload && <IdentityPreview payload={use.token.payload} />}
    </div>
  );
}

function TokenPicker({ index, count }: { index: number; count: number }) {
  return (
    <div class="picker">
      <strong>Token {index + 1}</strong> <span class="muted">of {count}</span>
      <button type="button" disabled={index === 0} onClick={() => (pickedToken.value = index - 1)} title="Previous token">
        ‹
      </button>
      <button type="button" disabled={index >= count - 1} onClick={() => (pickedToken.value = index + 1)} title="Next token">
        ›
      </button>
      {pickedToken.value !== null && (
        <button type="button" class="link" onClick={() => (pickedToken.value = null)}>
          follow latest
        </button>
      )}
    </div>
  );
}

function Where({ use }: { use: TokenUse }) {
  const via =
    use.connection !== undefined
      ? `Authenticate on ${use.connection}${use.frame !== undefined ? `, frame ${use.frame}` : ""}${
          use.baseVersion !== undefined ? `, baseVersion ${use.baseVersion}` : ""
        }`
      : `HTTP request #${use.request ?? "?"}`;
  return (
    <div class="muted" data-testid="token-where">
      {clockTime(use.t)} · {via} · observed: <span data-testid="token-outcome">{use.outcome}</span>
      {use.error && (
        <div class="value" data-testid="token-observed-error" data-full={use.error}>
          backend said: <Truncated text={use.error} max={300} />
        </div>
      )}
    </div>
  );
}

/** Hidden by default (the decoded header and claims are below); Reveal shows the credential, Copy copies it. */
function Raw({ use }: { use: TokenUse }) {
  const [reveal, setReveal] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    setReveal(false);
    setCopied(null);
  }, [use]);
  return (
    <div class="raw">
      <div class="raw-value" data-testid={reveal ? "token-raw" : "token-redacted"} data-full={reveal ? use.token.raw : undefined}>
        {reveal ? (
          <Truncated text={use.token.raw} max={160} />
        ) : (
          <span class="muted">Raw token hidden ({plural(use.token.raw.length, "character")}): it is a credential.</span>
        )}
      </div>
      <button type="button" data-testid="reveal" onClick={() => setReveal(!reveal)}>
        {reveal ? "Hide" : "Reveal"}
      </button>
      <button
        type="button"
        data-testid="copy-token"
        title="Copy the raw token (a credential)"
        onClick={() => void copyText(use.token.raw).then((ok) => setCopied(ok ? "copied" : "copy failed"))}
      >
        Copy
      </button>
      {copied && <span class="muted">{copied}</span>}
    </div>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // DevTools panels often lack clipboard-write: fall back to a transient selection.
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    return ok;
  }
}

function Countdown({ use }: { use: TokenUse }) {
  const exp = use.token.payload?.exp;
  if (typeof exp !== "number") return null;
  const left = exp - nowSec.value;
  return (
    <div class={`countdown ${left <= 0 ? "expired" : left < 60 ? "soon" : ""}`} data-testid="countdown" data-left={left}>
      {left > 0 ? "expires" : "expired"} {formatRelative(exp, nowSec.value)} <span class="muted">({localAndIso(exp)})</span>
    </div>
  );
}

function Claims({ payload }: { payload: Record<string, unknown> }) {
  const views = claimViews(payload, nowSec.value);
  return (
    <details open>
      <summary>Claims</summary>
      <table class="claims" data-testid="claims">
        <tbody>
          {views.map((c) => (
            <tr key={c.name} data-claim={c.name}>
              <th>{c.name}</th>
              <td>
                <Truncated text={typeof c.value === "string" ? c.value : shortJson(c.value, 4000)} max={200} />
                {c.time && typeof c.value === "number" && (
                  <span class="muted">
                    {" "}
                    {localAndIso(c.value)}
                    {c.relative ? ` (${c.relative})` : ""}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** What getUserIdentity() would return: as the matched provider's type when the verdict found one. */
function IdentityPreview({ payload }: { payload: Record<string, unknown> }) {
  const p = prediction.value;
  const matched = p.state === "done" ? p.verdict.provider?.type : undefined;
  const [picked, setType] = useState<"oidc" | "customJwt" | null>(null);
  const type = picked ?? matched ?? "oidc";
  let text: string;
  try {
    text = shortJson(identityPreview(payload, type));
  } catch (e) {
    text = `Cannot build an identity: ${e instanceof Error ? e.message : String(e)}`;
  }
  return (
    <details>
      <summary>Identity preview (ctx.auth.getUserIdentity())</summary>
      {matched && picked === null && <div class="muted">as the matched {matched} provider</div>}
      <label>
        as{" "}
        <select value={type} onChange={(e) => setType(e.currentTarget.value as "oidc" | "customJwt")}>
          <option value="oidc">OIDC provider</option>
          <option value="customJwt">customJwt provider</option>
        </select>
      </label>
      <pre class="json" data-testid="identity-preview">
        {text}
      </pre>
    </details>
  );
}
