import { mergeFirstPage } from './paged';

const items = (...ids: string[]) => ids.map((id) => ({ id, v: id }));

describe('mergeFirstPage (newest-first lists)', () => {
  it('puts new items on top and keeps the older ones once', () => {
    expect(mergeFirstPage(items('c', 'b', 'a'), items('e', 'd', 'c'))?.map((i) => i.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('replaces shown items with their fresh copies', () => {
    const merged = mergeFirstPage(items('b', 'a'), [{ id: 'b', v: 'paid' }, ...items('a')]);
    expect(merged).toEqual([
      { id: 'b', v: 'paid' },
      { id: 'a', v: 'a' },
    ]);
  });

  it('restarts (null) when more new items arrived than a page holds, or nothing was shown', () => {
    expect(mergeFirstPage(items('b', 'a'), items('e', 'd'))).toBeNull();
    expect(mergeFirstPage([], items('a'))).toBeNull();
    expect(mergeFirstPage(items('a'), [])?.map((i) => i.id)).toEqual(['a']);
  });
});
