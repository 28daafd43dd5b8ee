/**
 * Vitest globalSetup: builds the CLI bundle once, before any test file runs, instead of once per file that runs
 * it (a dozen esbuild runs, and two workers rewriting the bundle another file was executing).
 */
import { buildCli, BUILT_ENV } from "./run";

export default function setup(): void {
  buildCli();
  // Inherited by the test workers, so their buildCli() calls know the bundle is fresh.
  process.env[BUILT_ENV] = "1";
}
