import { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStore } from './blob-store';

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The behaviour every BlobStore implementation must have; run by each implementation's tests. */
export function describeBlobStoreContract(name: string, create: () => Promise<{ store: BlobStore; cleanup?: () => Promise<void> }>): void {
  describe(`${name} (BlobStore contract)`, () => {
    let store: BlobStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ store, cleanup } = await create());
    });
    afterAll(() => cleanup?.());

    it('stores, reads back, and deletes a blob', async () => {
      const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      expect(await store.put('teams/t1/uploads/a', Readable.from([data.subarray(0, 1000), data.subarray(1000)]))).toBe(data.length);
      expect(await store.exists('teams/t1/uploads/a')).toBe(true);
      expect((await read(await store.get('teams/t1/uploads/a'))).equals(data)).toBe(true);
      await store.delete('teams/t1/uploads/a');
      expect(await store.exists('teams/t1/uploads/a')).toBe(false);
      await store.delete('teams/t1/uploads/a');
    });

    it('stores an empty blob', async () => {
      expect(await store.put('teams/t1/empty', Readable.from([]))).toBe(0);
      expect((await read(await store.get('teams/t1/empty'))).length).toBe(0);
    });

    it('deletes every blob under a folder prefix, and only those', async () => {
      for (const key of ['teams/p1/uploads/a', 'teams/p1/results/b', 'teams/p1/results/c', 'teams/p10/uploads/a']) {
        await store.put(key, Readable.from([Buffer.from(key)]));
      }
      expect(await store.deletePrefix('teams/p1/')).toBe(3);
      expect(await store.exists('teams/p1/results/b')).toBe(false);
      expect(await store.exists('teams/p10/uploads/a')).toBe(true);
      expect(await store.deletePrefix('teams/p1/')).toBe(0);
      await expect(store.deletePrefix('teams/p1')).rejects.toThrow(/unsafe/);
      await expect(store.deletePrefix('../')).rejects.toThrow(/unsafe/);
    });

    it('lists the blobs under a folder in key order, page by page, with when each was written', async () => {
      const before = Date.now();
      const keys = [
        'listing/l1/uploads/b',
        'listing/l1/results/a',
        'listing/l1/uploads/a',
        'listing/l1-x/uploads/c',
        'listing/l10/z',
        'other/l1/a',
      ];
      for (const key of keys) await store.put(key, Readable.from([Buffer.from(key)]));
      // Byte order of whole keys, as S3 lists: "l1-x/" ('-' 0x2D) before "l1/" ('/' 0x2F) before "l10/".
      const inOrder = ['listing/l1-x/uploads/c', 'listing/l1/results/a', 'listing/l1/uploads/a', 'listing/l1/uploads/b', 'listing/l10/z'];

      const whole = await store.list('listing/', { limit: 100 });
      expect(whole.blobs.map((b) => b.key)).toEqual(inOrder);
      expect(whole.next).toBeUndefined();
      for (const { lastModified } of whole.blobs) {
        // S3 keeps seconds only.
        expect(lastModified.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
        expect(lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }

      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const page = await store.list('listing/', { after, limit: 2 });
        pages.push(page.blobs.map((b) => b.key));
        after = page.next;
      } while (after !== undefined && pages.length < 10);
      expect(pages.flat()).toEqual(inOrder);
      expect(pages.slice(0, 2)).toEqual([inOrder.slice(0, 2), inOrder.slice(2, 4)]);

      expect((await store.list('listing/l1/', { limit: 10 })).blobs.map((b) => b.key)).toEqual(inOrder.slice(1, 4));
      // After a key that is not stored, and after the last one.
      expect((await store.list('listing/', { after: 'listing/l1/t', limit: 10 })).blobs.map((b) => b.key)).toEqual(inOrder.slice(2));
      expect(await store.list('listing/', { after: 'listing/l10/z', limit: 10 })).toEqual({ blobs: [] });
      expect(await store.list('nothing-here/', { limit: 10 })).toEqual({ blobs: [] });

      await store.delete('listing/l1/uploads/a');
      expect((await store.list('listing/l1/', { limit: 10 })).blobs.map((b) => b.key)).toEqual([
        'listing/l1/results/a',
        'listing/l1/uploads/b',
      ]);
      await expect(store.list('listing', { limit: 10 })).rejects.toThrow(/unsafe/);
      await expect(store.list('../', { limit: 10 })).rejects.toThrow(/unsafe/);
    });

    it('rejects missing blobs and unsafe keys', async () => {
      await expect(store.get('teams/t1/missing')).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.put('../escape', Readable.from([Buffer.from('x')]))).rejects.toThrow(/unsafe/);
    });
  });
}
