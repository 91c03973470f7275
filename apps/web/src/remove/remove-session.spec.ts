import type { ImageItem } from './job-card';
import { defaultOptions } from './options';
import { forgetRemovePage, restoreRemovePage, saveRemovePage } from './remove-session';

const anItem = (key: string): ImageItem => ({ key, file: new File(['x'], `${key}.png`, { type: 'image/png' }), previewUrl: `blob:${key}` });

describe('the kept Remove page', () => {
  const revoked: string[] = [];
  beforeAll(() => {
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
  });
  beforeEach(() => {
    forgetRemovePage();
    revoked.length = 0;
  });

  it('gives the batch back to the user who made it, as it was saved', () => {
    const items = [anItem('a')];
    saveRemovePage('u1', { items, draft: defaultOptions, cards: new Map(), expired: new Set(['job-1']) });
    expect(restoreRemovePage('u1')?.items).toBe(items);
    // A result found deleted stays known as such: the card does not show it again.
    expect([...(restoreRemovePage('u1')?.expired ?? [])]).toEqual(['job-1']);
    expect(revoked).toEqual([]);
  });

  it('gives another user nothing, and releases the first one’s previews', () => {
    saveRemovePage('u1', { items: [anItem('a'), anItem('b')], draft: defaultOptions, cards: new Map(), expired: new Set<string>() });
    expect(restoreRemovePage('u2')).toBeUndefined();
    expect(revoked).toEqual(['blob:a', 'blob:b']);
    expect(restoreRemovePage('u1')).toBeUndefined();
  });

  it('forgets everything on sign-out', () => {
    saveRemovePage('u1', { items: [anItem('a')], draft: defaultOptions, cards: new Map(), expired: new Set<string>() });
    forgetRemovePage();
    expect(revoked).toEqual(['blob:a']);
    expect(restoreRemovePage('u1')).toBeUndefined();
  });
});
