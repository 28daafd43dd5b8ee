/**
 * Page-derived text, bounded: long values are elided at a segment boundary (core's `elide`, never mid-word)
 * with a toggle for the full value, which also sits in `data-full` for exports and tests (no UI text in it).
 * Always rendered as a text node (never HTML).
 */
import { useState } from "preact/hooks";
import { elide } from "../../core/text/elide";

export function Truncated({ text, max = 120, testid }: { text: string; max?: number; testid?: string }) {
  const [full, setFull] = useState(false);
  const cut = elide(text, max);
  if (!cut.elided) return <span class="value" data-testid={testid}>{text}</span>;
  return (
    <span class="value" data-testid={testid} data-full={text}>
      {full ? text : cut.shown + "…"}
      <button type="button" class="link" onClick={() => setFull(!full)}>
        {full ? "less" : `show all ${text.length} characters`}
      </button>
    </span>
  );
}
