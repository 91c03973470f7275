import { BUDGET_BYTES, formatSpread, kB, ms, QUIET_MS, shippedBy, spread, timeToInteractive, verdict } from './first-load-figures';

describe('first-load figures', () => {
  it('summarises runs as the lower median with min and max', () => {
    expect(spread([300, 100, 200])).toEqual({ median: 200, min: 100, max: 300 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2, min: 1, max: 4 });
    expect(() => spread([])).toThrow('no figures');
  });

  it('prints "median [min–max]", or one figure when every run agrees', () => {
    expect(formatSpread({ median: 81_234, min: 81_234, max: 81_234 }, kB)).toBe('81.2 kB');
    expect(formatSpread({ median: 212.4, min: 180.6, max: 260 }, ms)).toBe('212 ms [181 ms–260 ms]');
  });

  it('puts time to interactive at the control, or at the end of a later long task, once the main thread was quiet for 500 ms', () => {
    expect(timeToInteractive(undefined, [], 10_000)).toBeUndefined();
    expect(timeToInteractive(120, [80], 120 + QUIET_MS - 1)).toBeUndefined();
    expect(timeToInteractive(120, [80], 120 + QUIET_MS)).toBe(120);
    expect(timeToInteractive(120, [80, 300], 700)).toBeUndefined();
    expect(timeToInteractive(120, [80, 300], 800)).toBe(300);
  });

  it('counts the scripts downloaded by the time the page was interactive, largest first, and one without timing', () => {
    const scripts = [
      { path: '/assets/index.js', raw: 200_000, gzip: 64_000 },
      { path: '/assets/auth-pages.js', raw: 20_000, gzip: 7_000 },
      { path: '/assets/late.js', raw: 9_000, gzip: 3_000 },
      { path: '/assets/untimed.js', raw: 1_000, gzip: 500 },
    ];
    const ends = new Map([
      ['/assets/index.js', 40],
      ['/assets/auth-pages.js', 90],
      ['/assets/late.js', 400],
    ]);
    expect(shippedBy(scripts, ends, 150).map((s) => s.path)).toEqual(['/assets/index.js', '/assets/auth-pages.js', '/assets/untimed.js']);
  });

  it('passes within the budget, is OVER beyond it, and FAILs when a split-off chunk was loaded', () => {
    expect(verdict(BUDGET_BYTES, [])).toEqual({ ok: true, line: 'PASS: largest first load 200.0 kB gzip of JavaScript; budget 200.0 kB' });
    expect(verdict(BUDGET_BYTES + 1_500, [])).toEqual({
      ok: false,
      line: 'OVER: largest first load 201.5 kB gzip of JavaScript; budget 200.0 kB (1.5 kB over)',
    });
    expect(verdict(90_000, ['admin-page-x.js'])).toEqual({
      ok: false,
      line: 'FAIL: largest first load 90.0 kB gzip of JavaScript; budget 200.0 kB (admin-page-x.js was loaded on first load)',
    });
  });
});
