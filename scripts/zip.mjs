// Deterministic zip files (fflate): the same files give the same bytes on any machine, in any time zone, so the
// Firefox package rebuilt from the AMO source archive is byte-identical to the one submitted.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { unzipSync, zipSync } from "fflate";

// fflate writes DOS times from the Date's *local* fields: a date built from local fields is the same
// 1980-01-01 00:00 everywhere (the earliest DOS time).
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Every regular file under `dir`, as `/`-separated relative paths in code-point order. */
export function listFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Zips `files` (zip path → bytes) in code-point order of their paths, with one fixed timestamp and no
 * per-machine attributes.
 */
export function zipFiles(files) {
  const names = Object.keys(files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const entries = {};
  for (const name of names) entries[name] = [files[name], { mtime: FIXED_MTIME, level: 9 }];
  return zipSync(entries);
}

/** Zips every file under `dir` (paths relative to it, so manifest.json sits at the archive's root). */
export function zipDirectory(dir) {
  const files = {};
  for (const f of listFiles(dir)) files[f] = readFileSync(join(dir, f));
  return zipFiles(files);
}

/** Unpacks `zipPath` into `dir`, refusing entries that would land outside it. Returns the entry names. */
export function unzipToDirectory(zipPath, dir) {
  const root = resolve(dir);
  const entries = unzipSync(readFileSync(zipPath));
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw new Error(`zip entry ${name} points outside ${root}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  return Object.keys(entries);
}
