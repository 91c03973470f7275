import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyBody } from './policy-page';

const published = (kind: 'cookies' | 'privacy') =>
  readFileSync(join(__dirname, '../../../api/src/privacy/policies/documents', kind, '2026-11-30.md'), 'utf8');

describe('policyBody', () => {
  it('drops the text’s own heading and does not name the version again when the published text begins with it', () => {
    for (const kind of ['cookies', 'privacy'] as const) {
      const { body, showVersion } = policyBody({ version: '2026-11-30', markdown: published(kind) });
      expect(body.startsWith('\nVersion 2026-11-30.')).toBe(true);
      expect(showVersion).toBe(false);
    }
  });

  it('names the version when the text does not (or names another one)', () => {
    expect(policyBody({ version: '2027-01-01', markdown: '# Policy\n\nWe keep nothing.\n' })).toEqual({
      body: '\nWe keep nothing.\n',
      showVersion: true,
    });
    expect(policyBody({ version: '2027-01-01', markdown: '# Policy\n\nVersion 2026-11-30. Old words.\n' }).showVersion).toBe(true);
  });
});
