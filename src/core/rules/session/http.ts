/** HTTP-side findings: `http-auth-missing`, `http-auth-rejected` (classified), `bad-auth-scheme`. */
import { classifyBackendError } from "../../verdict/classify";
import { FUNCTION_ENDPOINTS } from "../../wire/http";
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { HttpRequest, Session } from "../../session/types";
import { FindingList } from "./list";
import { tokenOf, who } from "./view";
import { elided } from "../../text/elide";

/** The session's HTTP requests in order. */
export class HttpFold {
  private readonly out = new FindingList();
  private readonly missing = new Map<string, { first: number; count: number; endpoints: Set<string> }>();

  request(session: Session, r: HttpRequest): void {
    if (r.scheme === "none" && r.socketAuthed && FUNCTION_ENDPOINTS.has(r.endpoint)) {
      const m = this.missing.get(r.deployment) ?? { first: r.i, count: 0, endpoints: new Set<string>() };
      m.count++;
      m.endpoints.add(r.endpoint);
      this.missing.set(r.deployment, m);
    }
    if (r.status === 401 && r.error && r.endpoint !== "http-action") {
      const text = "message" in r.error ? r.error.message : r.error.raw;
      const code = "code" in r.error ? r.error.code : null;
      const c = classifyBackendError(text);
      const ids = c.ids.length ? c.ids.join(", ") : "unclassified";
      this.out.push(
        finding(
          "http-auth-rejected",
          `${r.method} ${r.endpoint} on ${r.deployment || r.url} was rejected with 401${code ? ` ${code}` : ""}: "${elided(text, 300)}"${r.token !== undefined ? ` for ${who(tokenOf(session, r.token))}` : ""} — ${c.summary} [${ids}].`,
          { request: r.i, value: ids },
        ),
      );
    }
    if (r.scheme === "other" && r.badScheme && r.endpoint !== "unknown") {
      const b = r.badScheme;
      this.out.push(
        finding(
          "bad-auth-scheme",
          r.endpoint === "http-action"
            ? `The HTTP action call to ${elided(r.url, 200)} sent "Authorization: ${b.prefix} …": the action runs, but ctx.auth.getUserIdentity() throws "${b.message}".`
            : `${r.method} ${r.endpoint} sent "Authorization: ${b.prefix} …", which is neither Bearer nor Convex: the backend answers ${b.status} ${b.code} "${b.message}".`,
          { request: r.i, value: b.prefix },
        ),
      );
    }
  }

  findings(): Finding[] {
    const out = [...this.out.items];
    for (const [deployment, m] of this.missing)
      out.push(
        finding(
          "http-auth-missing",
          `${m.count} HTTP ${m.count === 1 ? "call" : "calls"} to ${[...m.endpoints].join(", ")} on ${deployment || "the deployment"} carried no Authorization while this page's sync socket was authenticated: those functions saw getUserIdentity() === null.`,
          { request: m.first },
        ),
      );
    return out;
  }
}
