/**
 * scripts/build.mjs must fail loudly when the output loses what the extension depends on. Runs its verifier on
 * small hand-made dist directories (the real build is exercised by the browser suites).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { sourcesUsingDangerousHtml, verifyDist } from "../../../scripts/build.mjs";

const verify = verifyDist as (dist: string, target: string, log?: string) => string[];
const dangerousSources = sourcesUsingDangerousHtml as (srcDir: string) => string[];
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const IIFE = "(function(){ window.x = 1; })();";

function chromeManifest(): Record<string, any> {
  return {
    manifest_version: 3,
    devtools_page: "src/extension/devtools.html",
    background: { service_worker: "service-worker-loader.js", type: "module" },
    content_scripts: [
      { js: ["src/hook/hook.iife.js"], matches: ["http://*/*"], run_at: "document_start", all_frames: true, world: "MAIN" },
      { js: ["src/extension/relay.iife.js"], matches: ["http://*/*"], run_at: "document_start", all_frames: true },
    ],
    permissions: ["storage"],
    optional_host_permissions: ["http://*/*"],
  };
}

function makeDist(manifest: Record<string, any>, files: Record<string, string> = {}): string {
  const dist = mkdtempSync(join(tmpdir(), "cai-dist-"));
  dirs.push(dist);
  const all: Record<string, string> = {
    "manifest.json": JSON.stringify(manifest),
    "service-worker-loader.js": "import './x.js'",
    "src/extension/devtools.html": "<!doctype html>",
    "src/panel/panel.html": "<!doctype html>",
    "src/hook/hook.iife.js": IIFE,
    "src/extension/relay.iife.js": IIFE,
    "icons/icon-16.png": "x",
    "icons/icon-32.png": "x",
    "icons/icon-48.png": "x",
    "icons/icon-128.png": "x",
    ...files,
  };
  for (const [f, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dist, f)), { recursive: true });
    writeFileSync(join(dist, f), text);
  }
  return dist;
}

describe("build verification", () => {
  it("accepts a correct Chrome output", () => {
    expect(verify(makeDist(chromeManifest()), "chrome")).toEqual([]);
  });

  it("rejects a hook that lost the MAIN world or document_start", () => {
    const m = chromeManifest();
    delete m.content_scripts[0].world;
    m.content_scripts[0].run_at = "document_idle";
    const problems = verify(makeDist(m), "chrome");
    expect(problems).toContain("the hook's world is ISOLATED, not MAIN");
    expect(problems).toContain("hook runs at document_idle, not document_start");
  });

  it("rejects crxjs's async loader and the web_accessible_resources it adds", () => {
    const m = chromeManifest();
    m.content_scripts[1].js = ["assets/relay.iife.ts-loader-abc.js"];
    m.web_accessible_resources = [{ resources: ["assets/relay.js"], matches: ["<all_urls>"] }];
    const problems = verify(makeDist(m, { "assets/relay.iife.ts-loader-abc.js": "(async()=>{await import(chrome.runtime.getURL('x'))})()" }), "chrome", "Some document_start content scripts use the async loader");
    expect(problems.join("\n")).toMatch(/async loader/);
    expect(problems.join("\n")).toMatch(/not a standalone IIFE/);
    expect(problems.join("\n")).toMatch(/still imports/);
    expect(problems.join("\n")).toMatch(/web_accessible_resources were added/);
  });

  it("rejects extra permissions and required host permissions", () => {
    const m = chromeManifest();
    m.permissions = ["storage", "tabs", "debugger"];
    m.host_permissions = ["<all_urls>"];
    const problems = verify(makeDist(m), "chrome");
    expect(problems).toEqual(expect.arrayContaining(["unexpected permission tabs", "unexpected permission debugger"]));
    expect(problems.join("\n")).toMatch(/host_permissions must stay optional/);
  });

  it("requires background.scripts and the gecko settings for Firefox", () => {
    const m = chromeManifest();
    expect(verify(makeDist(m), "firefox")).toEqual(
      expect.arrayContaining([
        "background.scripts missing (Firefox needs them)",
        "background.service_worker present in the Firefox manifest",
        "gecko id missing or wrong",
      ]),
    );
    m.background = { scripts: ["service-worker-loader.js"], type: "module" };
    m.browser_specific_settings = {
      gecko: { id: "convex-auth-inspector@convex-auth-inspector.dev", strict_min_version: "142.0", data_collection_permissions: { required: ["none"] } },
    };
    expect(verify(makeDist(m), "firefox")).toEqual([]);
  });
});

describe("build verification for the stores", () => {
  function firefoxManifest(gecko: Record<string, unknown>, android?: Record<string, unknown>): Record<string, any> {
    const m = chromeManifest();
    m.background = { scripts: ["service-worker-loader.js"], type: "module" };
    m.browser_specific_settings = {
      gecko: { id: "convex-auth-inspector@convex-auth-inspector.dev", data_collection_permissions: { required: ["none"] }, ...gecko },
      ...(android ? { gecko_android: android } : {}),
    };
    return m;
  }

  it("rejects a bundle that assigns innerHTML or outerHTML, not one that compares it", () => {
    expect(verify(makeDist(chromeManifest(), { "assets/panel.js": "if (a.innerHTML == b) c();" }), "chrome")).toEqual([]);
    expect(verify(makeDist(chromeManifest(), { "assets/panel.js": "t.innerHTML = h.__html;" }), "chrome")).toEqual([
      "assets/panel.js assigns innerHTML/outerHTML",
    ]);
    expect(verify(makeDist(chromeManifest(), { "src/x.js": "e.outerHTML=s" }), "chrome")).toEqual(["src/x.js assigns innerHTML/outerHTML"]);
    expect(verify(makeDist(chromeManifest(), { "src/y.js": "e.innerHTML += s" }), "chrome")).toEqual(["src/y.js assigns innerHTML/outerHTML"]);
    expect(verify(makeDist(chromeManifest(), { "src/z.js": "if (e.innerHTML === s) f();" }), "chrome")).toEqual([]);
  });

  it("requires a Firefox floor that covers every key used, on desktop and on Android", () => {
    expect(verify(makeDist(firefoxManifest({ strict_min_version: "128.0" })), "firefox")).toEqual([
      "gecko strict_min_version 128.0 is below 140, which browser_specific_settings.gecko.data_collection_permissions needs on desktop",
      "gecko_android strict_min_version 128.0 is below 142, which browser_specific_settings.gecko.data_collection_permissions needs on android",
    ]);
    expect(verify(makeDist(firefoxManifest({ strict_min_version: "140.0" })), "firefox")).toEqual([
      "gecko_android strict_min_version 140.0 is below 142, which browser_specific_settings.gecko.data_collection_permissions needs on android",
    ]);
    expect(verify(makeDist(firefoxManifest({ strict_min_version: "140.0" }, { strict_min_version: "142.0" })), "firefox")).toEqual([]);
    const noCollection = firefoxManifest({ strict_min_version: "127.0" });
    delete noCollection.browser_specific_settings.gecko.data_collection_permissions;
    expect(verify(makeDist(noCollection), "firefox")).toEqual(
      expect.arrayContaining([expect.stringMatching(/^gecko strict_min_version 127\.0 is below 128, which content_scripts\.world needs/)]),
    );
  });

  it("finds sources that use dangerouslySetInnerHTML (the build refuses them)", () => {
    const src = mkdtempSync(join(tmpdir(), "cai-src-"));
    dirs.push(src);
    mkdirSync(join(src, "panel", "views"), { recursive: true });
    writeFileSync(join(src, "panel", "views", "Ok.tsx"), "export const Ok = () => <p>{text}</p>;");
    writeFileSync(join(src, "panel", "views", "Bad.tsx"), "export const Bad = () => <p dangerouslySetInnerHTML={{ __html: x }} />;");
    expect(dangerousSources(src)).toEqual([join("panel", "views", "Bad.tsx")]);
    expect(dangerousSources(join(import.meta.dirname, "..", "..", "..", "src"))).toEqual([]);
  });
});
