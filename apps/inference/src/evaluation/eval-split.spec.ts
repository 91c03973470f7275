import { parseSplit, selectSplit, setOf, splitOf } from './eval-split';

// The dev set's names (../shared/eval/manifest.csv), so the published halves are pinned here.
const AM = [
  'am_GT01',
  'am_GT03',
  'am_GT05',
  'am_GT07',
  'am_GT09',
  'am_GT11',
  'am_GT13',
  'am_GT15',
  'am_GT17',
  'am_GT19',
  'am_GT21',
  'am_GT23',
  'am_GT25',
  'am_GT27',
];
const GC = [
  'gc_106024',
  'gc_153077',
  'gc_181079',
  'gc_208001',
  'gc_21077',
  'gc_24077',
  'gc_304074',
  'gc_37073',
  'gc_388016',
  'gc_69020',
  'gc_banana1',
  'gc_banana3',
  'gc_bool',
].concat([
  'gc_ceramic',
  'gc_doll',
  'gc_flower',
  'gc_grave',
  'gc_memorial',
  'gc_person1',
  'gc_person3',
  'gc_person5',
  'gc_person7',
  'gc_scissors',
  'gc_stone1',
  'gc_teddy',
]);
const DEV = [...AM, ...GC];
const half = (names: string[], which: 'tune' | 'report') => names.filter((n) => splitOf(DEV).get(n) === which);

describe('eval split (tune / report halves of the dev set)', () => {
  it('halves each set: the tune half has floor(n/2) names, the halves are disjoint and cover the set', () => {
    expect(half(AM, 'tune')).toHaveLength(7);
    expect(half(AM, 'report')).toHaveLength(7);
    expect(half(GC, 'tune')).toHaveLength(12);
    expect(half(GC, 'report')).toHaveLength(13);
    expect(splitOf(DEV).size).toBe(DEV.length);
  });

  it('is the published split (README "Measurements"): the same names on every machine and in any order', () => {
    expect(half(AM, 'tune')).toEqual(['am_GT01', 'am_GT03', 'am_GT05', 'am_GT11', 'am_GT13', 'am_GT15', 'am_GT21']);
    expect(half(GC, 'tune')).toEqual([
      'gc_181079',
      'gc_24077',
      'gc_388016',
      'gc_69020',
      'gc_banana1',
      'gc_bool',
      'gc_ceramic',
      'gc_grave',
      'gc_memorial',
      'gc_person5',
      'gc_person7',
      'gc_teddy',
    ]);
    expect(splitOf([...DEV].reverse())).toEqual(splitOf(DEV));
  });

  it('splits each set on its own: adding names to one set does not move the other set', () => {
    const more = [...DEV, 'gc_new1', 'gc_new2', 'gc_new3'];
    for (const name of AM) expect(splitOf(more).get(name)).toBe(splitOf(DEV).get(name));
    expect(setOf('am_GT01')).toBe('am');
    expect(setOf('plain')).toBe('other');
  });

  it('selects one half or all items, keeping their order; rejects an unknown choice', () => {
    const items = DEV.map((name) => ({ name }));
    const tune = selectSplit(items, 'tune');
    const report = selectSplit(items, 'report');
    expect(tune.length + report.length).toBe(DEV.length);
    expect(tune.filter((t) => report.includes(t))).toEqual([]);
    expect(selectSplit(items, 'all')).toEqual(items);
    expect(parseSplit('report')).toBe('report');
    expect(() => parseSplit('test')).toThrow(/--split must be one of tune, report, all/);
  });
});
