/**
 * Follow the DevTools theme ("default"/"light" → light, "dark" → dark; change handler where the browser has one,
 * else `prefers-color-scheme`) through browser.ts. `?theme=dark|light` pins one (panel-in-a-tab screenshots).
 * The theme is one attribute on <html>; panel.css maps it to CSS variables.
 */
import { onThemeChange, themeName, type Theme } from "../extension/browser";

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

export function followTheme(search: string = location.search): void {
  const forced = new URLSearchParams(search).get("theme");
  if (forced === "dark" || forced === "light") {
    apply(forced);
    return;
  }
  apply(themeName());
  onThemeChange(apply);
}
