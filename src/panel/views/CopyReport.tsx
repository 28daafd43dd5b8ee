/** *Copy report*: the shared redacted Markdown (as `analyze --markdown`) onto the clipboard, with a one-word result. */
import { useState } from "preact/hooks";
import { buildReport, copyText } from "../state/report";

export function CopyReportButton() {
  const [state, setState] = useState<"idle" | "copying" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        data-testid="copy-report"
        title="Copy a short redacted Markdown report (no signatures, admin keys or cookies) to paste into an issue"
        disabled={state === "copying"}
        onClick={async () => {
          setState("copying");
          try {
            setState((await copyText(await buildReport())) ? "copied" : "failed");
          } catch {
            setState("failed");
          }
        }}
      >
        Copy report
      </button>
      {(state === "copied" || state === "failed") && (
        <span class="muted" data-testid="copy-report-done" data-state={state}>
          {state === "copied" ? "report copied" : "copy failed: the browser refused the clipboard"}
        </span>
      )}
    </>
  );
}
