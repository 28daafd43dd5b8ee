/**
 * The auth-relevant timeline: filter bar, a virtualised list (fixed row height, only visible rows rendered, so
 * 20,000 rows stay fast), keyboard navigation (Up/Down, Home/End, Enter opens details, Esc closes).
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { TimelineEntry, TimelineKind } from "../../core/session/types";
import { clockTime } from "../format";
import { detailsOpen, selectEntry, selectedEntry } from "../state/selection";
import { session } from "../state/session";
import {
  ALL_KINDS,
  connectionFilter,
  hiddenKinds,
  searchText,
  severityFilter,
  toggleKind,
  visibleRows,
} from "../state/timeline";
import { Details } from "./Details";
import { elided } from "../../core/text/elide";

export const ROW_HEIGHT = 20;
const OVERSCAN = 10;

const KIND_LABEL: Record<TimelineKind, string> = {
  navigation: "Navigation",
  connect: "Connect",
  authenticate: "Authenticate",
  "auth-accepted": "Accepted",
  "auth-error": "AuthError",
  "fatal-error": "FatalError",
  close: "Close",
  queries: "Queries",
  http: "HTTP",
  dropped: "Dropped",
};

export function Timeline({ searchRef }: { searchRef: { current: HTMLInputElement | null } }) {
  const s = session.value;
  const rows = visibleRows.value;
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 400));
    ro.observe(el);
    setHeight(el.clientHeight || 400);
    return () => ro.disconnect();
  }, []);

  const selected = selectedEntry.value;
  const pos = selected === null ? -1 : rows.indexOf(selected);

  // Keep the selected row in view when it changes (keyboard or evidence link).
  useEffect(() => {
    const el = listRef.current;
    if (!el || pos < 0) return;
    const top = pos * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [pos]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, to));
    selectEntry(rows[clamped]!, detailsOpen.value);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    switch (e.key) {
      case "ArrowDown":
        move(pos < 0 ? 0 : pos + 1);
        break;
      case "ArrowUp":
        move(pos < 0 ? rows.length - 1 : pos - 1);
        break;
      case "PageDown":
        move(pos + page);
        break;
      case "PageUp":
        move(pos - page);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(rows.length - 1);
        break;
      case "Enter":
        if (selected !== null) detailsOpen.value = true;
        break;
      case "Escape":
        detailsOpen.value = false;
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const detailEntry = detailsOpen.value && selected !== null ? s.timeline[selected] : undefined;

  return (
    <div class="timeline" data-testid="timeline">
      <FilterBar searchRef={searchRef} />
      <div
        ref={listRef}
        class="rows"
        tabIndex={0}
        role="listbox"
        aria-label="Timeline"
        aria-activedescendant={selected !== null ? `row-${selected}` : undefined}
        data-testid="timeline-rows"
        data-count={rows.length}
        // Its own layout and paint root: rows replaced while it scrolls are laid out and painted as one list
        // (a flex item is otherwise no relayout boundary; without it each row was painted on its own).
        style={{ contain: "strict" }}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {rows.length === 0 ? (
          <div class="empty">{s.timeline.length === 0 ? "No auth events yet." : "No events match the filters."}</div>
        ) : (
          <div style={{ height: `${rows.length * ROW_HEIGHT}px`, position: "relative" }}>
            {rows.slice(first, last).map((index, k) => (
              <Row
                key={index}
                index={index}
                entry={s.timeline[index]!}
                top={(first + k) * ROW_HEIGHT}
                selected={index === selected}
              />
            ))}
          </div>
        )}
      </div>
      {detailEntry && <Details entry={detailEntry} s={s} onClose={() => (detailsOpen.value = false)} />}
    </div>
  );
}

function Row({ index, entry, top, selected }: { index: number; entry: TimelineEntry; top: number; selected: boolean }) {
  return (
    <div
      id={`row-${index}`}
      class={`row kind-${entry.kind}${entry.severity ? ` sev-${entry.severity}` : ""}${selected ? " selected" : ""}`}
      style={{ top: `${top}px`, height: `${ROW_HEIGHT}px` }}
      role="option"
      aria-selected={selected}
      data-testid="timeline-row"
      data-kind={entry.kind}
      data-index={index}
      onClick={() => selectEntry(index, false)}
      onDblClick={() => selectEntry(index, true)}
      title={elided(entry.text, 2000)}
    >
      <span class="time">{clockTime(entry.t)}</span>
      <span class="kind">{KIND_LABEL[entry.kind] ?? entry.kind}</span>
      <span class="text">{elided(entry.text, 300)}</span>
    </div>
  );
}

function FilterBar({ searchRef }: { searchRef: { current: HTMLInputElement | null } }) {
  const s = session.value;
  return (
    <div class="filters" data-testid="timeline-filters">
      <input
        ref={searchRef}
        type="search"
        placeholder="Filter ( / or Ctrl+F )"
        data-testid="search"
        value={searchText.value}
        onInput={(e) => (searchText.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            searchText.value = "";
            e.currentTarget.blur();
          }
        }}
      />
      <select
        data-testid="filter-connection"
        value={connectionFilter.value}
        onChange={(e) => (connectionFilter.value = e.currentTarget.value)}
        title="Connection"
      >
        <option value="">All connections</option>
        {s.connections.map((c) => (
          <option value={c.id} key={c.id}>
            {c.id.length > 40 ? c.id.slice(0, 40) + "…" : c.id}
          </option>
        ))}
      </select>
      <select
        data-testid="filter-severity"
        value={severityFilter.value}
        onChange={(e) => (severityFilter.value = e.currentTarget.value as typeof severityFilter.value)}
        title="Severity"
      >
        <option value="">All levels</option>
        <option value="error">Errors</option>
        <option value="warning">Warnings and errors</option>
        <option value="info">Info and above</option>
      </select>
      <span class="kinds">
        {ALL_KINDS.map((k) => (
          <label key={k} class="kind-toggle">
            <input
              type="checkbox"
              data-testid={`kind-${k}`}
              checked={!hiddenKinds.value.has(k)}
              onChange={() => toggleKind(k)}
            />
            {KIND_LABEL[k]}
          </label>
        ))}
      </span>
    </div>
  );
}
