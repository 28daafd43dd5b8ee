// Serves the demo pages: demo/app.ts bundled once with esbuild into memory, plus a small HTML shell.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { SCENARIOS, SCENARIO_NOTES, type Scenario } from "./scenarios.ts";

/** Bundle the page script (with the real `convex` browser build) into one IIFE string. */
export async function bundleDemo(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./demo/app.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for the demo page");
  return file.text;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: `<` escaped so no value can close the tag. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

export type DemoPageConfig = { scenario: Scenario; deploymentUrl: string | null; tokenUrl: string; adminKey?: string };

export function demoPageHtml(config: DemoPageConfig): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Convex auth demo: ${escapeHtml(config.scenario)}</title>
<script>window.__HARNESS_DEMO__ = ${scriptJson(config)};</script>
<script src="/demo/app.js" defer></script>
<style>body{font:14px system-ui;margin:2em}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}</style>
</head><body>
<h1>Scenario: ${escapeHtml(config.scenario)}</h1>
<p>${escapeHtml(SCENARIO_NOTES[config.scenario])}</p>
<p>Status: <strong id="status">loading</strong></p>
<pre id="detail"></pre>
<p><a href="/demo/">All scenarios</a></p>
</body></html>`;
}

export function demoIndexHtml(base: string): string {
  const items = SCENARIOS.map(
    (s) => `<li><a href="/demo/?scenario=${s}">${s}</a> — ${escapeHtml(SCENARIO_NOTES[s])}</li>`,
  ).join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Convex auth demo</title></head>
<body><h1>Convex Auth Inspector demo deployment</h1><p>Deployment: <code>${escapeHtml(base)}</code></p><ul>${items}</ul></body></html>`;
}
