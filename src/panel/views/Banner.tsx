/** Banners above everything: the page predates the hook (offer a reload), and events were lost. */
import { hookSeen, session } from "../state/session";

export function Banners({ onReload }: { onReload: () => void }) {
  const dropped = session.value.dropped;
  return (
    <div class="banners">
      {hookSeen.value === false && (
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
          {dropped} event{dropped === 1 ? " was" : "s were"} dropped on the way (buffer limits or a restarted
          service worker): the timeline has gaps.
        </div>
      )}
    </div>
  );
}
