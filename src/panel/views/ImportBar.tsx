/**
 * Import: the toolbar's Open button (a hidden file input), and the bar that says a file is being shown (name,
 * kind, capture time) with the way back to the live tab, the reading progress, or why the file could not be read.
 */
import { useRef } from "preact/hooks";
import { entries } from "../../core/report/words";
import { imported, importStatus } from "../state/imported";
import { backToLive, importFile } from "../state/import-file";

export function OpenFileButton() {
  const input = useRef<HTMLInputElement | null>(null);
  return (
    <>
      <button type="button" data-testid="import-open" title="Open a HAR file or an inspector export (or drop it on the panel)" onClick={() => input.current?.click()}>
        ⤒ Open…
      </button>
      <input
        ref={input}
        type="file"
        accept=".har,.json,application/json"
        data-testid="import-input"
        hidden
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ""; // the same file can be opened again
          if (file) void importFile(file);
        }}
      />
    </>
  );
}

const when = (ms: number | null) => (ms === null ? "no events" : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC"));

export function ImportBar() {
  const file = imported.value;
  const status = importStatus.value;
  return (
    <>
      {status?.state === "reading" && (
        <div class="banner info" data-testid="import-reading" role="status">
          Reading {status.name}… {status.size ? Math.floor((status.read / status.size) * 100) : 0}%
        </div>
      )}
      {status?.state === "error" && (
        <div class="banner warn" data-testid="import-error" role="alert" data-file={status.name}>
          <span>
            Could not import {status.name}: {status.message}
          </span>
          <button type="button" onClick={() => (importStatus.value = null)}>
            Dismiss
          </button>
        </div>
      )}
      {file && (
        <div class="banner imported" data-testid="import-banner" role="status" data-file={file.name} data-kind={file.kind}>
          <span>
            Imported <b>{file.name}</b> ({file.kind === "har" ? `HAR, ${entries(file.entries)}` : "inspector export"}), captured{" "}
            <span data-testid="import-captured-at">{when(file.capturedAt)}</span>. Tokens are judged at the time they were sent.
            The live tab keeps capturing underneath.
          </span>
          <button type="button" data-testid="back-to-live" onClick={backToLive}>
            ← Back to live tab
          </button>
        </div>
      )}
    </>
  );
}

/** Drop a file anywhere on the panel: the handlers for the panel's root element. */
export const dropHandlers = {
  onDragOver(e: DragEvent) {
    if (e.dataTransfer?.types.includes("Files")) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  },
  onDrop(e: DragEvent) {
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    void importFile(file);
  },
};
