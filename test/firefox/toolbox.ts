/**
 * The add-on's panel inside Firefox's REAL DevTools toolbox (recipe §4), and a way to read it.
 *
 * Opening: from the chrome scope, `gDevTools.showToolboxForTab(tab)` and `toolbox.selectTool(<our webext panel>)`,
 * as a user pressing F12 and clicking the "Convex Auth" tab. The panel then runs in the toolbox's
 * `<browser remote="true">` with `browser.devtools.*`, in the extension's process.
 *
 * Reading — the channel, and why this one (the task's options, tried in order):
 * (a) chrome scope → the panel `<browser>`'s `contentDocument`: null, as the browser is remote. With
 *     `extensions.webextensions.remote=false` it would be readable, but there the panel never loads: its
 *     `<browser>` stays at about:blank (Firefox ESR 140.12).
 * (b) a BiDi browsing context for it: ESR 140's BiDi has no chrome scope at all (firefox.ts), and the panel is not
 *     a top-level context.
 * What works is the channel Firefox gives developers for exactly this, about:debugging's "Inspect" on the
 * add-on: over the DevTools protocol, the add-on's watcher lists each of its documents as a frame target —
 * background, devtools page, and this panel — and a target's console evaluates in that document. The panel is
 * matched to the toolbox by its inner window id, so it is the document the toolbox shows, not a copy.
 */
import type { PanelView } from "../e2e/panel/panel-view.ts";
import { tabShowing, type FirefoxWithAddon } from "./firefox.ts";
import type { Packet } from "./rdp.ts";

export interface ToolboxPanel {
  /** The panel document inside the toolbox. */
  view: PanelView;
  /** The toolbox's panel id (`webext-devtools-panel-…`). */
  toolId: string;
  /** Closes the toolbox (the tab stays). */
  close(): Promise<void>;
}

/** Opens toolboxes on tabs of `ff` and reads the add-on's panel in them. One per Firefox instance. */
export interface Toolboxes {
  open(url: string): Promise<ToolboxPanel>;
  /** Sets DevTools' theme the way its Settings → Themes radio does (the `devtools.theme` pref). */
  setTheme(theme: "light" | "dark"): Promise<void>;
}

export async function toolboxes(ff: FirefoxWithAddon): Promise<Toolboxes> {
  const frames = await watchAddonDocuments(ff);
  const devtools = `ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs").require("devtools/client/framework/devtools").gDevTools`;
  const panelUrl = `${ff.base}src/panel/panel.html`;

  return {
    async open(url) {
      const { toolId, innerWindowId } = await ff.chrome<{ toolId: string; innerWindowId: number }>(`(async () => {
        const tab = ${tabShowing(url)};
        gBrowser.selectedTab = tab;
        const toolbox = await ${devtools}.showToolboxForTab(tab);
        const sleep = () => new Promise((r) => setTimeout(r, 50));
        // The devtools page registers the panel once it has run (panels.create).
        let def = null;
        for (let i = 0; i < 400 && !def; i++) {
          def = [...toolbox.additionalToolDefinitions.values()].find((d) => d.extensionId === ${JSON.stringify(ff.addonId)});
          if (!def) await sleep();
        }
        if (!def) throw new Error("the add-on's panel never appeared in the toolbox");
        await toolbox.selectTool(def.id);
        const frame = toolbox.doc.getElementById("toolbox-panel-iframe-" + def.id);
        for (let i = 0; i < 400; i++) {
          const wg = frame?.contentDocument?.querySelector("browser")?.browsingContext?.currentWindowGlobal;
          if (wg && wg.documentURI?.spec === ${JSON.stringify(panelUrl)}) return { toolId: def.id, innerWindowId: wg.innerWindowId };
          await sleep();
        }
        throw new Error("the panel document did not load in the toolbox");
      })()`);
      const consoleActor = await frames.consoleOf(innerWindowId);
      return {
        toolId,
        view: { eval: <T>(expression: string) => ff.rdp.evaluate<T>(consoleActor, expression) },
        close: () => ff.chrome(`${devtools}.closeToolboxForTab(${tabShowing(url)})`),
      };
    },
    setTheme: (theme) => ff.chrome(`Services.prefs.setCharPref("devtools.theme", ${JSON.stringify(theme)})`),
  };
}

/** The add-on's documents as DevTools frame targets, by inner window id. */
async function watchAddonDocuments(ff: FirefoxWithAddon): Promise<{ consoleOf(innerWindowId: number): Promise<string> }> {
  const forms = new Map<number, Packet>();
  const { addons } = await ff.rdp.request("root", "listAddons");
  const addon = (addons as Packet[]).find((a) => a.id === ff.addonId);
  if (!addon) throw new Error(`the DevTools server does not list the add-on ${ff.addonId}`);
  const watcher = await ff.rdp.request(addon.actor as string, "getWatcher");
  ff.rdp.onEvent((p) => {
    if (p.from !== watcher.actor) return;
    if (p.type === "target-available-form") forms.set(p.target.innerWindowId as number, p.target as Packet);
    if (p.type === "target-destroyed-form") forms.delete(p.target.innerWindowId as number);
  });
  await ff.rdp.request(watcher.actor as string, "watchTargets", { targetType: "frame" });
  return {
    async consoleOf(innerWindowId) {
      for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
        const form = forms.get(innerWindowId);
        if (form) return form.consoleActor as string;
      }
      throw new Error(`no DevTools target for the panel document (inner window ${innerWindowId})`);
    },
  };
}
