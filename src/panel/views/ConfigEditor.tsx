/**
 * Providers per deployment: the list learned from NoAuthProvider messages, or an auth.config pasted here with
 * values for its process.env names. Saved per deployment in storage.local (text + env only, never tokens).
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { parseAuthConfig } from "../../core/config/parse";
import type { ParsedConfig, Provider } from "../../core/config/types";
import { configs, configSaveError, learnedProviders, providersFor, setConfig } from "../state/providers";
import { session } from "../state/session";
import { Truncated } from "./Truncated";
import { plural } from "../../core/text/plural";

export function ConfigEditor() {
  const s = session.value;
  const seen = [...new Set(s.connections.map((c) => c.deployment).concat(s.requests.map((r) => r.deployment)))];
  const deployments = [...new Set([...seen, ...Object.keys(configs.value)])];
  const [picked, setPicked] = useState<string>("");
  const deployment = picked && deployments.includes(picked) ? picked : (deployments[0] ?? "");
  if (!deployment) {
    return (
      <div class="config empty" data-testid="config-editor">
        Providers are kept per deployment; none seen yet.
      </div>
    );
  }
  return (
    <div class="config" data-testid="config-editor" data-deployment={deployment}>
      <label>
        Deployment{" "}
        <select data-testid="config-deployment" value={deployment} onChange={(e) => setPicked(e.currentTarget.value)}>
          {deployments.map((d) => (
            <option key={d} value={d}>
              {d.length > 80 ? d.slice(0, 80) + "…" : d}
            </option>
          ))}
        </select>
      </label>
      <KnownList deployment={deployment} />
      <Editor key={deployment} deployment={deployment} />
    </div>
  );
}

function KnownList({ deployment }: { deployment: string }) {
  const known = providersFor(deployment);
  const learned = learnedProviders.value.get(deployment);
  return (
    <div class="known" data-testid="providers" data-source={known.source} data-count={known.providers.length}>
      <div class="muted">
        {known.source === "config"
          ? "Using the pasted config:"
          : known.source === "learned"
            ? "Learned from the deployment's NoAuthProvider message:"
            : "No providers known for this deployment yet."}
      </div>
      <ProviderList providers={known.providers} />
      {known.source === "config" && learned && (
        <div class="muted">
          The deployment reported {plural(learned.length, "provider")}; the pasted config takes
          precedence.
        </div>
      )}
    </div>
  );
}

function ProviderList({ providers }: { providers: Provider[] }) {
  if (providers.length === 0) return null;
  return (
    <ol class="provider-list">
      {providers.map((p, i) => (
        <li key={i} data-testid="provider" data-type={p.type}>
          {p.type === "oidc" ? (
            <>
              OIDC <Truncated text={p.domain} max={80} /> · applicationID <Truncated text={p.applicationID} max={60} />
            </>
          ) : (
            <>
              customJwt <Truncated text={p.issuer} max={80} /> · applicationID{" "}
              {p.applicationID === undefined ? <em>none</em> : <Truncated text={p.applicationID} max={60} />} · jwks{" "}
              {p.jwks === null ? <em>unknown</em> : <Truncated text={p.jwks} max={60} />} · {p.algorithm ?? "alg unknown"}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

function Editor({ deployment }: { deployment: string }) {
  const stored = Object.hasOwn(configs.value, deployment) ? configs.value[deployment] : undefined;
  const [text, setText] = useState(stored?.text ?? "");
  const [env, setEnv] = useState<Record<string, string>>(stored?.env ?? {});
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [text, env]);

  const draft = useMemo<ParsedConfig | { error: string } | null>(() => {
    if (text.trim() === "") return null;
    try {
      return parseAuthConfig(text, { filename: text.trimStart().startsWith("{") ? "auth.config.json" : "auth.config.ts", env });
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [text, env]);

  const unresolved = draft && !("error" in draft) ? draft.unresolvedEnv : [];
  const envNames = [...new Set([...Object.keys(env), ...unresolved])];

  return (
    <div class="editor">
      <textarea
        data-testid="config-text"
        spellcheck={false}
        placeholder="Paste convex/auth.config.ts here (it is parsed, never run)"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        rows={8}
      />
      {envNames.length > 0 && (
        <div class="env" data-testid="config-env">
          <div class="muted">process.env values (as set on the deployment):</div>
          {envNames.map((name) => (
            <label key={name} class={unresolved.includes(name) ? "unresolved" : ""}>
              <code>{name}</code>
              <input
                type="text"
                data-testid={`env-${name}`}
                value={env[name] ?? ""}
                onInput={(e) => setEnv({ ...env, [name]: e.currentTarget.value })}
              />
            </label>
          ))}
          {unresolved.length > 0 && (
            <div class="problem" data-testid="config-unresolved">
              Unresolved: {unresolved.join(", ")}
            </div>
          )}
        </div>
      )}
      {draft && "error" in draft && (
        <div class="problem" data-testid="config-error">
          {draft.error}
        </div>
      )}
      {draft && !("error" in draft) && (
        <div class="muted" data-testid="config-parsed" data-count={draft.providers.length}>
          {plural(draft.providers.length, "provider")} (stored order), {plural(draft.findings.length, "config finding")}
        </div>
      )}
      <div class="buttons">
        <button
          type="button"
          data-testid="config-save"
          onClick={() => {
            // Keep only env values that are filled in; empty fields mean "not supplied".
            const filled = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
            void setConfig(deployment, text.trim() === "" ? null : { text, env: filled }).then(() => setSaved(true));
          }}
        >
          Save for this deployment
        </button>
        {stored && (
          <button
            type="button"
            data-testid="config-remove"
            onClick={() => {
              setText("");
              setEnv({});
              void setConfig(deployment, null);
            }}
          >
            Forget
          </button>
        )}
        {saved && !configSaveError.value && <span class="muted">saved</span>}
        {configSaveError.value && <span class="problem">{configSaveError.value}</span>}
      </div>
    </div>
  );
}
