/**
 * Panel entry: find the inspected tab, follow the theme, connect the port, feed messages to the session model,
 * render. The panel is a thin view: everything it shows is a function of the captured events and the config.
 */
import { render } from "preact";
import { reloadInspected } from "../extension/browser";
import { connectPanel } from "../extension/panel-port";
import { startClock } from "./state/clock";
import { startPredictions } from "./state/prediction";
import { initProviders } from "./state/providers";
import { resetSelection } from "./state/selection";
import { applyMessage, clearSession } from "./state/session";
import { findTab } from "./state/tab";
import { followTheme } from "./theme";
import { App } from "./views/App";
import "./panel.css";

function start(): void {
  followTheme();
  const root = document.getElementById("root")!;
  const tab = findTab();
  if ("error" in tab) {
    root.textContent = tab.error;
    return;
  }
  startClock();
  startPredictions();
  void initProviders();
  const port = connectPanel(tab.tabId, applyMessage);
  render(
    <App
      mode={tab.devtools ? "devtools" : "tab"}
      actions={{
        clear() {
          port.send({ type: "clear" });
          clearSession();
          resetSelection();
        },
        reload() {
          void reloadInspected(tab.tabId);
          // A page without Convex traffic never reports itself: ask its relay once the reload has run.
          for (const ms of [1000, 3000]) setTimeout(() => port.send({ type: "probe" }), ms);
        },
      }}
    />,
    root,
  );
}

start();
