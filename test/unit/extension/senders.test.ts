import { describe, expect, it } from "vitest";
import { isOwnPage, panelTab, relayOrigin, type Self } from "../../../src/extension/senders";

const self: Self = { id: "abcdefghijklmnop", base: "chrome-extension://abcdefghijklmnop/" };
const panelPage = { id: self.id, url: `${self.base}src/panel/panel.html`, origin: "chrome-extension://abcdefghijklmnop" };
/** What the browser reports for a content script (our own relay, or page-privileged code in that world). */
const contentScript = (tabId: number, url = "https://app.example/") => ({ id: self.id, url, origin: new URL(url).origin, tab: { id: tabId }, frameId: 0 });

describe("panel ports", () => {
  it("are accepted from our own pages: the DevTools panel (no tab) and the panel opened as a tab", () => {
    expect(panelTab("cai-panel:7", panelPage, self)).toBe(7);
    expect(panelTab("cai-panel:7", { ...panelPage, tab: { id: 99 } }, self)).toBe(7);
    // Firefox leaves `origin` out.
    expect(panelTab("cai-panel:7", { id: self.id, url: "moz-extension://u-u-i-d/src/panel/panel.html" }, { id: self.id, base: "moz-extension://u-u-i-d/" })).toBe(7);
  });

  it("are refused from a content script that picks a panel's name, whatever tab it names", () => {
    expect(panelTab("cai-panel:7", contentScript(3), self)).toBeNull();
    expect(panelTab("cai-panel:3", contentScript(3), self)).toBeNull();
    // A page URL that merely contains our base, another extension, a lookalike origin, no sender.
    expect(panelTab("cai-panel:7", { ...contentScript(3, `https://evil.example/?${self.base}`) }, self)).toBeNull();
    expect(panelTab("cai-panel:7", { ...panelPage, id: "otherextension" }, self)).toBeNull();
    expect(panelTab("cai-panel:7", { ...panelPage, url: "chrome-extension://abcdefghijklmnopq/src/panel/panel.html" }, self)).toBeNull();
    expect(panelTab("cai-panel:7", { ...panelPage, origin: "https://app.example" }, self)).toBeNull();
    expect(panelTab("cai-panel:7", undefined, self)).toBeNull();
  });

  it("need a well-formed tab id in the name", () => {
    for (const name of ["cai-panel:", "cai-panel:-1", "cai-panel:1.5", "cai-panel:1e3", "cai-panel:99999999999", "cai-relay", "cai-panel:0x1"]) {
      expect(panelTab(name, panelPage, self)).toBeNull();
    }
    expect(panelTab("cai-panel:0", panelPage, self)).toBe(0);
  });

  it("isOwnPage needs our id and a URL under our base", () => {
    expect(isOwnPage(panelPage, self)).toBe(true);
    expect(isOwnPage({ id: self.id }, self)).toBe(false);
  });
});

describe("relay ports", () => {
  it("speak for the tab and frame the browser reports, never another", () => {
    expect(relayOrigin(contentScript(3), self)).toEqual({ tabId: 3, frame: 0 });
    expect(relayOrigin({ ...contentScript(3), frameId: 12 }, self)).toEqual({ tabId: 3, frame: 12 });
  });

  it("need a real tab", () => {
    expect(relayOrigin(panelPage, self)).toBeNull(); // the DevTools panel has no tab
    expect(relayOrigin({ ...contentScript(3), tab: { id: -1 } }, self)).toBeNull();
    expect(relayOrigin({ ...contentScript(3), tab: {} }, self)).toBeNull();
    expect(relayOrigin({ ...contentScript(3), frameId: -1 }, self)).toBeNull();
    expect(relayOrigin({ ...contentScript(3), id: "other" }, self)).toBeNull();
    expect(relayOrigin(undefined, self)).toBeNull();
  });
});
