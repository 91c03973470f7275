import { fmtSpread, runConcurrent, spread, stats, wholeNumberArg } from './bench-stats';

describe('bench stats', () => {
  it('a headline figure is the median of the runs, printed with its min and max', () => {
    expect(spread([2.4, 2.1, 2.6])).toEqual({ n: 3, median: 2.4, min: 2.1, max: 2.6 });
    expect(spread([4, 1, 3, 2])).toEqual({ n: 4, median: 2.5, min: 1, max: 4 });
    expect(fmtSpread(spread([1.081, 1.07, 1.1]), 3)).toBe('1.081 (min 1.070, max 1.100 over 3 runs)');
    expect(fmtSpread(spread([9.8, 8.5, 11.2]), 1, ' %')).toBe('9.8 % (min 8.5 %, max 11.2 % over 3 runs)');
    expect(() => spread([])).toThrow('no runs to summarise');
  });

  it('latency stats: median and p95 by rank', () => {
    expect(stats([5, 1, 4, 2, 3])).toMatchObject({ n: 5, medianMs: 3, p95Ms: 5, meanMs: 3 });
  });

  it('runConcurrent does every item once, with one latency each', async () => {
    const seen: number[] = [];
    const { latencies } = await runConcurrent([1, 2, 3, 4, 5], 2, async (i) => seen.push(i));
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(latencies).toHaveLength(5);
  });

  it('reads a whole-number option, refusing fractions, words and numbers under the minimum by name', () => {
    expect(wholeNumberArg('runs', '3')).toBe(3);
    expect(wholeNumberArg('requests', '31', 31)).toBe(31);
    expect(() => wholeNumberArg('runs', '2.5')).toThrow('--runs must be a whole number >= 1; got 2.5');
    expect(() => wholeNumberArg('runs', 'three')).toThrow('--runs must be a whole number >= 1');
    expect(() => wholeNumberArg('requests', '30', 31)).toThrow('--requests must be a whole number >= 31; got 30');
  });
});
