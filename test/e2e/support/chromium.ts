/**
 * Debian's Chromium and the flags it needs on this kind of machine (testing-recipes §1): no sandbox as root,
 * and no background networking, whose connections the closed network refuses. One home for every launcher.
 */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
