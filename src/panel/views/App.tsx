/** Panel layout: toolbar, banners, connections + timeline on the left, token / findings / config on the right. */
import { useEffect, useRef } from "preact/hooks";
import { Banners } from "./Banner";
import { dropHandlers, ImportBar } from "./ImportBar";
import { ConfigEditor } from "./ConfigEditor";
import { ConnectionList } from "./ConnectionList";
import { Findings } from "./Findings";
import { Timeline } from "./Timeline";
import { TokenInspector } from "./TokenInspector";
import { Toolbar } from "./Toolbar";
import { VerdictView } from "./Verdict";
import { detailsOpen } from "../state/selection";
import { imported } from "../state/imported";

export interface AppActions {
  clear(): void;
  reload(): void;
}

export function App({ actions, mode }: { actions: AppActions; mode: "devtools" | "tab" }) {
  const searchRef = useRef<HTMLInputElement | null>(null);

  // `/` or Ctrl/Cmd+F focuses the search (DevTools convention); Esc closes details.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
      if ((e.key === "f" || e.key === "F") && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === "/" && !typing) {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === "Escape" && !typing) {
        detailsOpen.value = false;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div class="app" data-testid="panel" data-mode={mode} data-view={imported.value ? "imported" : "live"} {...dropHandlers}>
      <Toolbar onClear={actions.clear} />
      <ImportBar />
      <Banners onReload={actions.reload} />
      <div class="main">
        <div class="left">
          <ConnectionList />
          <Timeline searchRef={searchRef} />
        </div>
        <div class="right">
          <VerdictView />
          <Findings />
          <TokenInspector />
          <details class="config-section" data-testid="config-section">
            <summary>Config (providers per deployment)</summary>
            <ConfigEditor />
          </details>
        </div>
      </div>
    </div>
  );
}
