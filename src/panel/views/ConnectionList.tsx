/** Sync connections grouped by deployment: state, auth and identity as the session model reports them. */
import type { Connection } from "../../core/session/types";
import { clockTime } from "../format";
import { selectedConnection } from "../state/selection";
import { session } from "../state/session";
import { connectionFilter } from "../state/timeline";
import { Truncated } from "./Truncated";

const AUTH_LABEL: Record<Connection["auth"], string> = {
  none: "no auth",
  pending: "pending",
  accepted: "accepted",
  rejected: "rejected",
  expired: "expired",
  cleared: "cleared",
  admin: "ADMIN KEY",
};

export function ConnectionList() {
  const s = session.value;
  if (s.connections.length === 0 && s.requests.length === 0) {
    return (
      <div class="empty" data-testid="no-connections">
        No Convex traffic yet. Connections appear when the page opens a Convex sync socket or calls /api.
      </div>
    );
  }
  const byDeployment = new Map<string, Connection[]>();
  for (const c of s.connections) {
    const list = byDeployment.get(c.deployment) ?? [];
    list.push(c);
    byDeployment.set(c.deployment, list);
  }
  const httpOnly = [...new Set(s.requests.map((r) => r.deployment))].filter((d) => !byDeployment.has(d));
  return (
    <div class="connections" data-testid="connections">
      {[...byDeployment].map(([deployment, conns]) => (
        <section class="deployment" key={deployment} data-testid="deployment" data-deployment={deployment}>
          <h3>
            <Truncated text={deployment} max={80} />
          </h3>
          <ul>
            {conns.map((c) => (
              <ConnectionRow key={c.id} c={c} />
            ))}
          </ul>
        </section>
      ))}
      {httpOnly.map((d) => (
        <section class="deployment" key={d} data-testid="deployment" data-deployment={d}>
          <h3>
            <Truncated text={d} max={80} />
          </h3>
          <div class="muted">HTTP calls only ({s.requests.filter((r) => r.deployment === d).length})</div>
        </section>
      ))}
    </div>
  );
}

function ConnectionRow({ c }: { c: Connection }) {
  const selected = selectedConnection.value === c.id;
  const filtered = connectionFilter.value === c.id;
  return (
    <li
      class={`connection${selected ? " selected" : ""}`}
      data-testid="connection"
      data-id={c.id}
      data-state={c.state}
      data-auth={c.auth}
    >
      <button
        type="button"
        class="row-button"
        title={filtered ? "Show all connections in the timeline" : "Show only this connection in the timeline"}
        onClick={() => {
          selectedConnection.value = c.id;
          connectionFilter.value = filtered ? "" : c.id;
        }}
      >
        <span class={`dot state-${c.state}`} aria-hidden="true" />
        <span class="conn-state" data-testid="connection-state">
          {c.state}
          {c.close ? ` (${c.close.code}${c.close.reason ? `: ${c.close.reason}` : ""})` : ""}
        </span>
        <span class={`badge auth-${c.auth}`} data-testid="connection-auth">
          {AUTH_LABEL[c.auth]}
        </span>
        {c.identity && (
          <span class="identity" data-testid="connection-identity" title="tokenIdentifier (iss|sub)">
            <Truncated text={c.identity} max={60} />
          </span>
        )}
      </button>
      <div class="conn-meta muted">
        <span>client {c.clientVersion ?? "(unversioned /api/sync)"}</span>
        <span>identity v{c.identityVersion}</span>
        {c.connectionCount !== undefined && <span>connection #{c.connectionCount}</span>}
        <span>opened {clockTime(c.openedAt)}</span>
        <span class="url">
          <Truncated text={c.url} max={70} />
        </span>
      </div>
    </li>
  );
}
