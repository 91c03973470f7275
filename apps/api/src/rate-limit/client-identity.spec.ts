import { rateLimitClient } from './client-identity';

describe('rateLimitClient', () => {
  it('keeps an IPv4 address as itself, also when written IPv4-mapped', () => {
    expect(rateLimitClient('203.0.113.9')).toBe('203.0.113.9');
    expect(rateLimitClient(' 203.0.113.9 ')).toBe('203.0.113.9');
    expect(rateLimitClient('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(rateLimitClient('::FFFF:cb00:7109')).toBe('203.0.113.9');
    expect(rateLimitClient('0:0:0:0:0:ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(rateLimitClient('203.0.113.10')).not.toBe(rateLimitClient('203.0.113.9'));
  });

  it('counts an IPv6 address as its /64, however it is written', () => {
    const forms = [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:0000:0000:0000:0001',
      '2001:DB8:1:2:0:0:0:1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:a:b:c:d',
      '2001:db8:1:2::',
    ];
    for (const form of forms) expect(rateLimitClient(form)).toBe('2001:db8:1:2::/64');
    expect(rateLimitClient('::1')).toBe('::/64');
    expect(rateLimitClient('fe80::1%eth0')).toBe('fe80::/64');
  });

  it('tells different /64s apart', () => {
    const keys = ['2001:db8:1:2::1', '2001:db8:1:3::1', '2001:db8:2:2::1', '2001:db9:1:2::1', '::1'].map(rateLimitClient);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rateLimitClient('::ffff:203.0.113.9')).not.toBe(rateLimitClient('::203.0.113.9'));
  });

  it('keeps anything else as written, never as the key of a real address', () => {
    expect(rateLimitClient('unknown')).toBe('unparsed:unknown');
    expect(rateLimitClient('')).toBe('unparsed:');
    for (const garbage of ['2001:db8:1:2::/64', '203.0.113.9:443', '203.0.113', '010.0.0.1', '1.2.3.4.5', '2001:db8::g', 'not an ip']) {
      const key = rateLimitClient(garbage);
      expect(key).toBe(`unparsed:${garbage}`);
    }
    expect(rateLimitClient('2001:db8:1:2::/64')).not.toBe(rateLimitClient('2001:db8:1:2::1'));
  });
});
