/** DevTools-style toolbar: Preserve log, Clear, Export (redacted unless "include secrets" is ticked). */
import { useState } from "preact/hooks";
import { plural } from "../../core/text/plural";
import { download, exportFile } from "../state/export";
import { eventCount, preserveLog, session } from "../state/session";

export function Toolbar({ onClear }: { onClear: () => void }) {
  const [secrets, setSecrets] = useState(false);
  const [lastExport, setLastExport] = useState<string | null>(null);
  const s = session.value;
  return (
    <div class="toolbar" role="toolbar">
      <button type="button" data-testid="clear" title="Clear captured events" onClick={onClear}>
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
      <button
        type="button"
        data-testid="export"
        title={secrets ? "Export with raw tokens (admin keys stay masked)" : "Export redacted JSON"}
        onClick={() => {
          const f = exportFile(secrets);
          download(f.name, f.text);
          setLastExport(f.name);
        }}
      >
        ⤓ Export
      </button>
      <label class={secrets ? "danger" : ""} title="Raw tokens are credentials: share such a file with care">
        <input type="checkbox" data-testid="include-secrets" checked={secrets} onChange={(e) => setSecrets(e.currentTarget.checked)} />
        include secrets
      </label>
      {lastExport && <span class="muted" data-testid="export-done">saved {lastExport}</span>}
      <span class="grow" />
      <span class="muted" data-testid="status-line">
        {plural(eventCount.value, "event")} · {plural(s.connections.length, "connection")} ·{" "}
        {s.requests.length} HTTP
      </span>
    </div>
  );
}
