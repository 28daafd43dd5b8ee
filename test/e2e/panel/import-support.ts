/**
 * Driving the panel's import / export / report controls from a test, in the real DevTools panel (CDP evaluate)
 * or a panel tab alike: a file dropped on the panel (a real `File` through the drop handler and `File.stream()`),
 * an export button clicked with the Blob it hands to the download link read back, finding IDs read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PanelView } from "./panel-view.ts";

/** Drops `text` as a file named `name` on the panel, as a drag from the desktop would. */
export function dropFile(view: PanelView, name: string, text: string): Promise<unknown> {
  return view.eval(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: "application/json" }));
    const root = document.querySelector('[data-testid="panel"]');
    root.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    return root.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
}

/**
 * Clicks an export button and returns the file's text: the Blob the panel gives `URL.createObjectURL` for the
 * download link (the real DevTools panel's downloads are not visible to Playwright).
 */
export function exportedText(view: PanelView, testId: "export" | "export-har"): Promise<string> {
  return view.eval<string>(`(async () => {
    const original = URL.createObjectURL;
    let blob = null;
    URL.createObjectURL = (b) => { blob = b; return original.call(URL, b); };
    try { document.querySelector('[data-testid="${testId}"]').click(); } finally { URL.createObjectURL = original; }
    return blob ? await blob.text() : null;
  })()`);
}

export function findingIds(view: PanelView): Promise<string[]> {
  return view.eval<string[]>(`[...new Set([...document.querySelectorAll('[data-testid="finding"]')].map((e) => e.getAttribute('data-id')))].sort()`);
}

export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "cai-import-")), name);
  writeFileSync(path, text);
  return path;
}
