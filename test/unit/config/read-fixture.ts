import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Text of a sample file under test/fixtures/config. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url)), "utf8");
}
