/**
 * DevTools-style toolbar: Preserve log, Clear, Open a file, Export JSON / HAR (redacted unless "include secrets" is
 * ticked), Copy report.
 */
import { useState } from "preact/hooks";
import { plural } from "../../core/text/plural";
import { download, exportFile, type ExportFormat } from "../state/export";
import { CopyReportButton } from "./CopyReport";
import { OpenFileButton } from "./ImportBar";
import { imported } from "../state/imported";
import { eventCount, preserveLog, session } from "../state/session";

export function Toolbar({ onClear }: { onClear: () => void }) {
  const [secrets, setSecrets] = useState(false);
  const [lastExport, setLastExport] = useState<string | null>(null);
  const s = session.value;
  return (
    <div class="toolbar" role="toolbar">
      <button
        type="button"
        data-testid="clear"
        title={imported.value ? "Clear the live tab's captured events (the file shown is not affected)" : "Clear captured events"}
        onClick={onClear}
      >
        ⊘ Clear
      </button>
      <label title="Keep events across page loads">
        <input
          type="checkbox"
          data-testid="preserve-log"
          checked={preserveLog.value}
          onChange={(e) => (preserveLog.value = e.currentTarget.checked)}
        />
        Preserve log
      </label>
      <span class="sep" />
      <OpenFileButton />
      <span class="sep" />
      {(["json", "har"] as ExportFormat[]).map((format) => (
        <button
          type="button"
          key={format}
          data-testid={format === "json" ? "export" : "export-har"}
          title={`${format === "har" ? "Export a HAR (opens in Chrome's Network panel and in analyze)" : "Export JSON"} of ${imported.value ? "the imported file" : "the live session"}${secrets ? " with raw tokens (admin keys stay masked)" : ", redacted"}`}
          onClick={() => {
            const f = exportFile(secrets, format);
            download(f.name, f.text);
            setLastExport(f.name);
          }}
        >
          ⤓ {format === "har" ? "Export HAR" : "Export"}
        </button>
      ))}
      <label class={secrets ? "danger" : ""} title="Raw tokens are credentials: share such a file with care">
        <input type="checkbox" data-testid="include-secrets" checked={secrets} onChange={(e) => setSecrets(e.currentTarget.checked)} />
        include secrets
      </label>
      {lastExport && <span class="muted" data-testid="export-done">saved {lastExport}</span>}
      <span class="sep" />
      <CopyReportButton />
      <span class="grow" />
      <span class="muted" data-testid="status-line">
        {plural(imported.value ? imported.value.events.length : eventCount.value, "event")} · {plural(s.connections.length, "connection")} ·{" "}
        {s.requests.length} HTTP
      </span>
    </div>
  );
}
