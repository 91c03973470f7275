import { afterSignIn, safeNextPath, withNext } from './next-path';

describe('safeNextPath (the open-redirect guard for ?next=)', () => {
  it.each(['/', '/team', '/invitations/accept?token=abc.DEF_123-x', '/history?status=DONE#top', '/a/b/c?x=%2F%2Fevil'])(
    'keeps the same-origin path %s',
    (value) => {
      expect(safeNextPath(value)).toBe(value);
    },
  );

  it.each([
    ['an empty value', ''],
    ['no value', null],
    ['undefined', undefined],
    ['an absolute http URL', 'http://evil.example/phish'],
    ['an absolute https URL', 'https://evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a protocol-relative URL', '//evil.example/path'],
    ['three slashes', '///evil.example'],
    ['a backslash after the slash', '/\\evil.example'],
    ['a backslash anywhere', '/team\\..\\x'],
    ['a leading backslash', '\\\\evil.example'],
    ['a tab that browsers strip ("/\\t/evil")', '/\t/evil.example'],
    ['a newline that browsers strip', '/\n/evil.example'],
    ['a leading space', ' /team'],
    ['a relative path', 'team'],
    ['a scheme without slashes', 'https:evil.example'],
    ['an encoded slash after the first', '/%2F/evil.example'],
    ['an encoded backslash after the first', '/%5cevil.example'],
    ['a non-breaking space', '/\u00a0/evil'],
    ['a very long value', `/${'a'.repeat(5000)}`],
    ['dot segments that normalise to a protocol-relative URL', '/..//evil.example'],
    ['"." and ".." segments that normalise to "//x"', '/./..//x'],
    ['".." past the root that normalises to "//x"', '/a/../..//x'],
    ['dot segments before "//" with a query and hash', '/..//evil.example/p?q=1#h'],
    ['encoded dot segments that normalise to "//x"', '/%2e%2e//x'],
  ])('refuses %s', (_name, value) => {
    expect(safeNextPath(value)).toBeUndefined();
  });

  it.each([
    ['/a/./b/../c?x=1#top', '/a/c?x=1#top'],
    ['/team/..', '/'],
    ['/../team?next=%2F%2Fevil#h', '/team?next=%2F%2Fevil#h'],
  ])('returns the normalised path: %s → %s', (value, normalised) => {
    expect(safeNextPath(value)).toBe(normalised);
  });

  it('afterSignIn falls back to the dashboard for anything unsafe', () => {
    expect(afterSignIn('/invitations/accept?token=t')).toBe('/invitations/accept?token=t');
    expect(afterSignIn('//evil.example')).toBe('/');
    expect(afterSignIn(null)).toBe('/');
  });

  it('withNext adds an encoded next only when it is safe', () => {
    expect(withNext('/sign-in', '/invitations/accept?token=a&b=c')).toBe('/sign-in?next=%2Finvitations%2Faccept%3Ftoken%3Da%26b%3Dc');
    expect(withNext('/check-your-mail?email=a%40b.test', '/team')).toBe('/check-your-mail?email=a%40b.test&next=%2Fteam');
    expect(withNext('/sign-in', 'https://evil.example')).toBe('/sign-in');
    expect(withNext('/sign-in', undefined)).toBe('/sign-in');
  });
});
