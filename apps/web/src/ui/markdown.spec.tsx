import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown, safeHref } from './markdown';

const html = (source: string) => renderToStaticMarkup(<Markdown source={source} />);

describe('Markdown', () => {
  it('renders headings (one level below the page title), paragraphs, emphasis and code', () => {
    expect(html('# Title\n\nSome **bold** and *soft*\ntext with `code`.')).toBe(
      '<div class="prose"><h2>Title</h2><p>Some <strong>bold</strong> and <em>soft</em> text with <code>code</code>.</p></div>',
    );
  });

  it('renders lists with continuation lines and tables', () => {
    expect(html('- one\n  more\n- two')).toBe('<div class="prose"><ul><li>one more</li><li>two</li></ul></div>');
    expect(html('| A | B |\n| --- | --- |\n| `x` | y |')).toBe(
      '<div class="prose"><div class="table-wrap" role="region" aria-label="Table 1" tabindex="0"><table><thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>' +
        '<tbody><tr><td><code>x</code></td><td>y</td></tr></tbody></table></div></div>',
    );
  });

  it('names each table’s scrolling region after the heading above it, else "Table N"', () => {
    const table = '| A | B |\n| --- | --- |\n| x | y |\n\n';
    const labels = (source: string) => [...html(source).matchAll(/role="region" aria-label="([^"]*)" tabindex="0"/g)].map((m) => m[1]);
    expect(labels(`${table}## What we **collect** and [why](/why)\n\n${table}${table}## Cookies\n\n${table}`)).toEqual([
      'Table 1',
      'What we collect and why',
      'What we collect and why, table 2',
      'Cookies',
    ]);
  });

  it('shows markup as text and drops unsafe links', () => {
    const out = html('<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://cutout.example/p) [home](/policies/privacy)');
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('javascript:');
    expect(out).toContain('<a href="https://cutout.example/p" rel="noopener noreferrer">ok</a>');
    expect(out).toContain('<a href="/policies/privacy" rel="noopener noreferrer">home</a>');
  });

  it('keeps only http(s), mailto and same-site links', () => {
    expect(safeHref('mailto:privacy@cutout.example')).toBe('mailto:privacy@cutout.example');
    expect(safeHref('//evil.example')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('JAVASCRIPT:alert(1)')).toBeUndefined();
  });
});
