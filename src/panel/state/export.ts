/**
 * Export what the panel shows (the live log, or an imported file) through core: our JSON (`exportSession`) or a
 * Chrome-compatible HAR (`exportHar`), redacted by default (admin keys are masked even with secrets included),
 * downloaded as a file.
 */
import { exportHar, exportSession } from "../../core/session/export";
import { shownEvents } from "./session";

export type ExportFormat = "json" | "har";

export function exportFile(includeSecrets: boolean, format: ExportFormat = "json"): { name: string; text: string } {
  const events = [...shownEvents()];
  const text = format === "har" ? exportHar(events, { includeSecrets }) : exportSession(events, { includeSecrets });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return { name: `convex-auth-session-${stamp}${includeSecrets ? "-WITH-SECRETS" : ""}.${format}`, text };
}

export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noreferrer";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
