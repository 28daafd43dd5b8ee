/**
 * The user's "Site access" setting for the extension, as chrome://extensions changes it (developerPrivate, the
 * API that page itself calls): restrict the extension to named sites, then grant one more site later. Granting
 * fires `permissions.onAdded` in the extension, like the user's own change would.
 */
import type { BrowserContext } from "@playwright/test";

async function onExtensionsPage<T>(context: BrowserContext, fn: (page: import("@playwright/test").Page) => Promise<T>): Promise<T> {
  const page = await context.newPage();
  try {
    await page.goto("chrome://extensions/");
    return await fn(page);
  } finally {
    await page.close();
  }
}

/** Site access "On specific sites", with exactly `patterns` (e.g. `http://x.convex.cloud/*`). */
export function restrictSiteAccess(context: BrowserContext, extensionId: string, patterns: string[]): Promise<void> {
  return onExtensionsPage(context, (page) =>
    page.evaluate(
      async ({ id, patterns }) => {
        const dp = (globalThis as unknown as { chrome: { developerPrivate: any } }).chrome.developerPrivate;
        await dp.updateExtensionConfiguration({ extensionId: id, hostAccess: "ON_SPECIFIC_SITES" });
        for (const p of patterns) await dp.addHostPermission(id, p);
      },
      { id: extensionId, patterns },
    ),
  );
}

/** Adds one site to the extension's site access (what the user does in its settings, or by answering a prompt). */
export function grantSite(context: BrowserContext, extensionId: string, pattern: string): Promise<void> {
  return onExtensionsPage(context, (page) =>
    page.evaluate(
      async ({ id, pattern }) => {
        const dp = (globalThis as unknown as { chrome: { developerPrivate: any } }).chrome.developerPrivate;
        await dp.addHostPermission(id, pattern);
      },
      { id: extensionId, pattern },
    ),
  );
}
