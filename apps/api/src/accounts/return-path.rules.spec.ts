import { AppError } from '../common/errors/app-error';
import { MAX_RETURN_PATH_LENGTH, parseReturnPath } from './return-path.rules';

describe('parseReturnPath (the next of a verification link)', () => {
  it('keeps a path on this site, its query and fragment, and nothing at all', () => {
    for (const path of [
      '/',
      '/invitations/accept?token=abc-DEF_123',
      '/jobs/5?tab=result#top',
      '/history?f={%22a%22:[1]}|^`',
      '/a%2Fb',
      `/${'x'.repeat(MAX_RETURN_PATH_LENGTH - 1)}`,
    ])
      expect(parseReturnPath(path)).toBe(path);
    expect(parseReturnPath(null)).toBeUndefined();
    expect(parseReturnPath(undefined)).toBeUndefined();
  });

  it.each([
    ['another host', '//evil.example/phish'],
    ['a backslash host', '/\\evil.example'],
    ['an escaped second slash', '/%2F%2fevil.example'],
    ['an escaped backslash', '/%5Cevil.example'],
    ['a scheme', 'https://evil.example/'],
    ['a script', 'javascript:alert(1)'],
    ['no leading slash', 'invitations/accept'],
    ['empty', ''],
    ['a space', '/a b'],
    ['a control character', '/a\nb'],
    ['a backslash inside', '/a\\b'],
    ['a quote or angle brackets', '/a"<b>'],
    ['a broken escape', '/a%zz'],
    ['non-ASCII', '/caf\u00e9'],
    ['too long', `/${'x'.repeat(MAX_RETURN_PATH_LENGTH)}`],
  ])('refuses %s as BAD_USER_INPUT naming the field', (_, next) => {
    let error: unknown;
    try {
      parseReturnPath(next);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'next' } });
  });
});
