import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Tables with at least this many columns become a list of labelled rows in a narrow box (a phone):
 * each row a block, each cell on its own line after its column's heading (styles.css, `.stackable`).
 */
export const STACK_FROM_COLUMNS = 3;

/** A heading's text as shown: text meant for screen readers only (`.visually-hidden`) left out. */
function shownText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof Element && node.classList.contains('visually-hidden')) return '';
  return Array.from(node.childNodes, shownText).join('');
}

/**
 * Gives every body cell of the tables in `root` its column's shown heading (`data-label`, what the
 * stacked layout prints before it) and marks the tables wide enough to stack. Stacking changes the
 * cells' CSS display, which can make browsers drop a table's semantics: those tables also get the
 * roles they have natively, so screen readers keep reading rows and columns.
 */
export function labelTableCells(root: ParentNode): void {
  for (const table of Array.from(root.querySelectorAll('table'))) {
    const labels: string[] = [];
    for (const th of Array.from(table.querySelectorAll(':scope > thead > tr:first-child > th'))) {
      const text = shownText(th).replace(/\s+/g, ' ').trim();
      for (let span = 0; span < (th as HTMLTableCellElement).colSpan; span++) labels.push(text);
    }
    const stack = labels.length >= STACK_FROM_COLUMNS;
    table.classList.toggle('stackable', stack);
    if (stack) setRole(table, 'table');
    for (const group of Array.from(table.querySelectorAll(':scope > thead, :scope > tbody'))) {
      if (stack) setRole(group, 'rowgroup');
      for (const row of Array.from(group.querySelectorAll(':scope > tr'))) {
        if (stack) setRole(row, 'row');
        let column = 0;
        for (const cell of Array.from(row.children) as HTMLTableCellElement[]) {
          if (group.tagName === 'TBODY' && cell.tagName === 'TD') {
            const label = labels[column] ?? '';
            if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
          }
          if (stack) setRole(cell, cell.tagName === 'TD' ? 'cell' : group.tagName === 'THEAD' ? 'columnheader' : 'rowheader');
          column += cell.colSpan || 1;
        }
      }
    }
  }
}

function setRole(element: Element, role: string): void {
  if (element.getAttribute('role') !== role) element.setAttribute('role', role);
}

/**
 * The scrolling box around a table (it scrolls sideways inside its card on narrow screens; tables
 * of STACK_FROM_COLUMNS or more columns stack instead, see labelTableCells). It is a named,
 * focusable region so that keyboard users can reach the scroll (arrow keys once focused) and
 * screen-reader users hear what it holds: its name is `label`, else the table's caption.
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
  // The cells' labels: set before the first paint, then again whenever the tables' rows or text
  // change (a render of this wrap or of a child component alone).
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    labelTableCells(root);
    const observer = new MutationObserver(() => labelTableCells(root));
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="table-wrap" role="region" aria-label={label ?? caption ?? 'Table'} tabIndex={0}>
      {children}
    </div>
  );
}
