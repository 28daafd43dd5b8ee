/**
 * *Copy report*: the same short redacted Markdown as `analyze --markdown` (core's one builder) over what the panel
 * shows — the imported file, or the live log. Each token is judged when it was sent, against the pasted config
 * for its deployment or the list the deployment reported. Nothing is fetched for it (keys: null, as `analyze`
 * without --config): a signature the panel could not check is `unknown` in the report.
 */
import { analyzeCapture } from "../../core/session/analyze";
import { analysisMarkdown } from "../../core/report/markdown";
import { runtime } from "../../extension/browser";
import { imported } from "./imported";
import { providersFor } from "./providers";
import { shownEvents } from "./session";

export async function buildReport(): Promise<string> {
  const file = imported.value;
  const events = shownEvents();
  const sources = file?.sources ?? null;
  const analysis = await analyzeCapture(events, {
    providers: null,
    providersFor: (deployment) => {
      const known = providersFor(deployment);
      return known.source === "config" ? known.providers : null;
    },
    prod: false,
    keys: null,
    sources,
  });
  const capture = file ? { kind: file.kind, entries: file.entries, events, sources } : { kind: "live" as const, entries: 0, events, sources };
  return analysisMarkdown({ capture, config: null, analysis }, runtime.getManifest().version);
}

/** Clipboard API first; DevTools panels may refuse it (permissions policy), then the selection-copy fallback. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand("copy");
    } finally {
      area.remove();
    }
  }
}
