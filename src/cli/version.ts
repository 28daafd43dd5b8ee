/** The package version, defined at build time (scripts/build-cli.mjs); "dev" when run from source. */
declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "dev";
