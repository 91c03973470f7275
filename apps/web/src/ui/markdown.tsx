import { createElement, type ReactNode } from 'react';
import { TableWrap } from './table-wrap';

/**
 * A small Markdown renderer for our own policy documents: headings, paragraphs, lists, tables,
 * `code`, **bold**, *emphasis* and [links](…). It builds React elements (never HTML strings), so
 * any markup in the text is shown as text; links keep only http(s), mailto and same-site paths.
 */

export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  if (/^\/(?!\/)/.test(trimmed) || trimmed.startsWith('#')) return trimmed;
  return undefined;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const token = match[0];
    const key = `${keyPrefix}-${n++}`;
    if (match[1]) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={key}>{renderInline(token.slice(2, -2), key)}</strong>);
    else if (match[3]) out.push(<em key={key}>{renderInline(token.slice(1, -1), key)}</em>);
    else {
      const [, label = '', href = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      const safe = safeHref(href);
      out.push(
        safe ? (
          <a key={key} href={safe} rel="noopener noreferrer">
            {renderInline(label, key)}
          </a>
        ) : (
          <span key={key}>{renderInline(label, key)}</span>
        ),
      );
    }
    rest = rest.slice(match.index + token.length);
  }
  return out;
}

/** Markdown inline markup dropped, for a plain-text name (e.g. a table's, from its heading). */
const plainText = (text: string) =>
  text
    .replace(/\[([^\]]+)\]\([^)\s]+\)/g, '$1')
    .replace(/[`*_]/g, '')
    .trim();

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

export function Markdown({ source }: { source: string }) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  const key = () => `b${blocks.length}`;
  // Tables' scrolling regions are named after the heading above them ("…, table 2" for a second
  // one under it), else "Table N".
  let heading = '';
  let tables = 0;
  let tablesUnderHeading = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      i++;
      continue;
    }
    const headingMatch = /^(#{1,6})\s+(.*)$/.exec(line);
    if (headingMatch) {
      // Page titles are the app's h1: policy headings start at h2.
      const level = Math.min(6, (headingMatch[1] ?? '#').length + 1);
      heading = plainText(headingMatch[2] ?? '');
      tablesUnderHeading = 0;
      blocks.push(createElement(`h${level}`, { key: key() }, renderInline(headingMatch[2] ?? '', key())));
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) rows.push(cells(lines[i++] ?? ''));
      const k = key();
      tables++;
      tablesUnderHeading++;
      const label = heading ? `${heading}${tablesUnderHeading > 1 ? `, table ${tablesUnderHeading}` : ''}` : `Table ${tables}`;
      blocks.push(
        <TableWrap key={k} label={label}>
          <table>
            <thead>
              <tr>
                {head.map((cell, c) => (
                  <th key={c} scope="col">
                    {renderInline(cell, `${k}h${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{renderInline(cell, `${k}r${r}c${c}`)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>,
      );
      continue;
    }
    const bullet = /^\s*([-*]|\d+\.)\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim()) {
        const current = lines[i] ?? '';
        if (bullet.test(current)) items.push(current.replace(bullet, ''));
        else items[items.length - 1] += ` ${current.trim()}`;
        i++;
      }
      const k = key();
      const children = items.map((item, n) => <li key={n}>{renderInline(item, `${k}-${n}`)}</li>);
      blocks.push(ordered ? <ol key={k}>{children}</ol> : <ul key={k}>{children}</ul>);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() && !/^(#{1,6})\s/.test(lines[i] ?? '') && !bullet.test(lines[i] ?? '')) {
      paragraph.push((lines[i] ?? '').trim());
      i++;
    }
    const k = key();
    blocks.push(<p key={k}>{renderInline(paragraph.join(' '), k)}</p>);
  }
  return <div className="prose">{blocks}</div>;
}
