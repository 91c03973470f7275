import { selfAddress } from './warm-up-call';

describe('selfAddress (where the warm-up call goes)', () => {
  it('calls a wildcard bind through loopback and any other address as it is bound (IPv6 in brackets)', () => {
    expect(['0.0.0.0', '', '::', '[::]'].map((host) => selfAddress(host, 50051))).toEqual(Array(4).fill('127.0.0.1:50051'));
    expect(selfAddress('127.0.0.1', 7)).toBe('127.0.0.1:7');
    expect(selfAddress('inference.internal', 7)).toBe('inference.internal:7');
    expect(selfAddress('::1', 7)).toBe('[::1]:7');
    expect(selfAddress('[fd00::5]', 7)).toBe('[fd00::5]:7');
  });
});
