/**
 * Export the captured events as JSON through core's `exportSession` (redacted by default; admin keys are
 * masked even with secrets included), downloaded as a file.
 */
import { exportSession } from "../../core/session/export";
import { heldEvents } from "./session";

export function exportFile(includeSecrets: boolean): { name: string; text: string } {
  const out: unknown = exportSession([...heldEvents()], { includeSecrets });
  const text = typeof out === "string" ? out : JSON.stringify(out, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return { name: `convex-auth-session-${stamp}${includeSecrets ? "-WITH-SECRETS" : ""}.json`, text };
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
