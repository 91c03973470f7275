import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describeBlobStoreContract } from './blob-store.contract';
import { FakeBlobStore } from './blob-store.fake';
import { LocalDiskBlobStore } from './local-disk.blob-store';

describeBlobStoreContract('LocalDiskBlobStore', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cutout-blobs-'));
  return { store: new LocalDiskBlobStore(root), cleanup: async () => rmSync(root, { recursive: true, force: true }) };
});

describeBlobStoreContract('FakeBlobStore', async () => ({ store: new FakeBlobStore() }));

describe('LocalDiskBlobStore.list', () => {
  it('lists the temp file a write left behind (a process that died mid-write), and no file the app could not have written', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cutout-blobs-'));
    try {
      const store = new LocalDiskBlobStore(root);
      await store.put('teams/t1/uploads/a', Readable.from([Buffer.from('a')]));
      const folder = path.join(root, 'teams', 't1', 'uploads');
      writeFileSync(path.join(folder, 'b.1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed.partial'), 'half a blob');
      const old = new Date(Date.now() - 7 * 3_600_000);
      utimesSync(path.join(folder, 'b.1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed.partial'), old, old);
      writeFileSync(path.join(folder, 'not a key'), 'x');
      mkdirSync(path.join(root, 'teams', 't1', 'odd name'));
      writeFileSync(path.join(root, 'teams', 't1', 'odd name', 'c'), 'x');
      symlinkSync(path.join(folder, 'a'), path.join(folder, 'link'));

      const { blobs, next } = await store.list('teams/', { limit: 10 });
      expect(blobs.map((b) => b.key)).toEqual(['teams/t1/uploads/a', 'teams/t1/uploads/b.1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed.partial']);
      expect(blobs[1].lastModified.getTime()).toBe(old.getTime());
      expect(next).toBeUndefined();
      await store.delete(blobs[1].key);
      expect((await store.list('teams/', { limit: 10 })).blobs.map((b) => b.key)).toEqual(['teams/t1/uploads/a']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
