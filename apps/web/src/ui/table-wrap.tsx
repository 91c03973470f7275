import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The scrolling box around a table (it scrolls sideways inside its card on narrow screens). It is
 * a named, focusable region so that keyboard users can reach the scroll (arrow keys once focused)
 * and screen-reader users hear what it holds: its name is `label`, else the table's caption.
 */
export function TableWrap({ label, children }: { label?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [caption, setCaption] = useState<string>();
  // The caption's text as rendered (it may hold dates and numbers), read after each render; no
  // state change (and no re-render) while it stays the same.
  useLayoutEffect(() => {
    if (label) return;
    const text = ref.current?.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim();
    setCaption(text || undefined);
  });
  return (
    <div ref={ref} className="table-wrap" role="region" aria-label={label ?? caption ?? 'Table'} tabIndex={0}>
      {children}
    </div>
  );
}
