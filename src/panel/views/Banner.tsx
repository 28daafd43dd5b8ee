/**
 * Banners above everything: the page predates the hook (offer a reload), and every stage that let events go
 * (a dropped marker in the stream, the panel's own bound, the background's buffer while the panel was live).
 */
import { imported } from "../state/imported";
import { backgroundEvicted, hookSeen, PANEL_MAX_CHARS, PANEL_MAX_EVENTS, session, trimmed } from "../state/session";

// One formatter: `toLocaleString` builds a new one per call, which showed in profiles of a busy panel.
const count = new Intl.NumberFormat("en-US");
const events = (n: number) => `${count.format(n)} event${n === 1 ? "" : "s"}`;

export function Banners({ onReload }: { onReload: () => void }) {
  const dropped = session.value.dropped;
  return (
    <div class="banners">
      {hookSeen.value === false && !imported.value && (
        <div class="banner warn" data-testid="banner-reload" role="alert">
          <span>
            This page was loaded before Convex Auth Inspector could attach, so its Convex socket is invisible.
          </span>
          <button type="button" data-testid="reload-to-capture" onClick={onReload}>
            Reload to capture
          </button>
        </div>
      )}
      {dropped > 0 && (
        <div class="banner info" data-testid="banner-dropped" role="status">
          {events(dropped)} {dropped === 1 ? "was" : "were"} dropped on the way (page, buffer or validation limits, or
          a restarted service worker): the timeline has gaps.
        </div>
      )}
      {trimmed.value > 0 && (
        <div class="banner info" data-testid="banner-trimmed" role="status" data-count={trimmed.value}>
          This panel keeps the newest {events(PANEL_MAX_EVENTS)} (at most {PANEL_MAX_CHARS / 1e6} million characters of frame text): {events(trimmed.value)} older{" "}
          {trimmed.value === 1 ? "was" : "were"} let go and will not be in an export.
        </div>
      )}
      {backgroundEvicted.value > 0 && (
        <div class="banner info" data-testid="banner-evicted" role="status" data-count={backgroundEvicted.value}>
          The background let go of {events(backgroundEvicted.value)} older to stay within its buffer; this panel
          had already received them and lost nothing, but a panel opened later will not see them.
        </div>
      )}
    </div>
  );
}
