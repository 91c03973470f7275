import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PolicyKind } from './dto/policy-kind.enum';
import { BUNDLED_POLICY_DOCUMENTS, PolicyDocuments } from './policy-documents';

/** A documents folder with the given files (`<kind folder>/<name>` → Markdown). */
function aDocumentsFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-policies-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('policy documents', () => {
  it('finds the shipped privacy and cookie policies next to the source, each with a dated version and a title', () => {
    const documents = PolicyDocuments.load(BUNDLED_POLICY_DOCUMENTS);
    for (const kind of Object.values(PolicyKind)) {
      const current = documents.current(kind);
      expect(current.kind).toBe(kind);
      expect(current.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(current.publishedAt.toISOString().slice(0, 10)).toBe(current.version);
      expect(current.title).toMatch(kind === PolicyKind.PRIVACY ? /privacy policy/i : /cookie policy/i);
      expect(current.markdown.length).toBeGreaterThan(1000);
    }
    // The cookie policy names exactly the cookies the API sets.
    const cookies = documents.current(PolicyKind.COOKIES).markdown;
    expect(cookies).toContain('`cutout_session`');
    expect(cookies).toContain('`cutout_visitor`');
  });

  it('takes the newest file of a kind as its current version and keeps the older ones readable', () => {
    const dir = aDocumentsFolder({
      'privacy/2026-01-10.md': '# Old privacy\n',
      'privacy/2026-11-30.md': '# New privacy\n\ntext',
      'privacy/2026-05-01.md': '# Middle privacy\n',
      'cookies/2026-01-10.md': '# Cookies\n',
    });
    const documents = PolicyDocuments.load(dir);
    expect(documents.current(PolicyKind.PRIVACY)).toMatchObject({ version: '2026-11-30', title: 'New privacy' });
    expect(documents.versions(PolicyKind.PRIVACY).map((d) => d.version)).toEqual(['2026-11-30', '2026-05-01', '2026-01-10']);
    expect(documents.find(PolicyKind.PRIVACY, '2026-01-10')?.title).toBe('Old privacy');
    expect(documents.find(PolicyKind.PRIVACY, '2025-01-01')).toBeUndefined();
  });

  it('refuses to start without a version of each kind, with a misnamed file, or with an untitled one', () => {
    expect(() => PolicyDocuments.load(aDocumentsFolder({ 'privacy/2026-01-10.md': '# P\n' }))).toThrow(/no version of the COOKIES policy/);
    expect(() => PolicyDocuments.load(aDocumentsFolder({ 'privacy/latest.md': '# P\n', 'cookies/2026-01-10.md': '# C\n' }))).toThrow(
      /latest\.md is not named after its publication date/,
    );
    expect(() => PolicyDocuments.load(aDocumentsFolder({ 'privacy/2026-02-31.md': '# P\n', 'cookies/2026-01-10.md': '# C\n' }))).toThrow(
      /2026-02-31\.md is not named/,
    );
    expect(() => PolicyDocuments.load(aDocumentsFolder({ 'privacy/2026-01-10.md': 'no title', 'cookies/2026-01-10.md': '# C\n' }))).toThrow(
      /has no "# " title/,
    );
  });
});
