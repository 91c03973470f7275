import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeBlobStoreContract } from './blob-store.contract';
import { FakeBlobStore } from './blob-store.fake';
import { LocalDiskBlobStore } from './local-disk.blob-store';

describeBlobStoreContract('LocalDiskBlobStore', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cutout-blobs-'));
  return { store: new LocalDiskBlobStore(root), cleanup: async () => rmSync(root, { recursive: true, force: true }) };
});

describeBlobStoreContract('FakeBlobStore', async () => ({ store: new FakeBlobStore() }));
