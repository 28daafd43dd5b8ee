/**
 * Page-derived text, bounded: shows the first `max` characters with a "more" toggle for the full value.
 * Always rendered as a text node (never HTML).
 */
import { useState } from "preact/hooks";

export function Truncated({ text, max = 120, testid }: { text: string; max?: number; testid?: string }) {
  const [full, setFull] = useState(false);
  if (text.length <= max) return <span class="value" data-testid={testid}>{text}</span>;
  return (
    <span class="value" data-testid={testid}>
      {full ? text : text.slice(0, max) + "…"}
      <button type="button" class="link" onClick={() => setFull(!full)}>
        {full ? "less" : `more (${text.length} chars)`}
      </button>
    </span>
  );
}
