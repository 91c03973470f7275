import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import archiver from 'archiver';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import type { ExportFile } from '../personal-data/personal-data.registry';

export const EXPORT_FORMAT_VERSION = 1;

/** Images go into the archive in slices of this size, so the archive's stream can apply backpressure. */
const SLICE_BYTES = 64 * 1024;

/** Whose archive, of which request, written under which claim of it (a worker's own: DataRequestExecutor). */
export interface ArchiveOwner {
  userId: string;
  requestId: string;
  claimId: string;
}

export interface WrittenArchive {
  key: string;
  /** For the receipt: sections, files included, files already gone, items per list section. */
  counts: Record<string, number>;
}

/**
 * A data export as a ZIP: `export.json` (a manifest — when, which sections, which files — and
 * every section) and the images that still exist under `images/…`. It is written as a stream
 * straight into the blob store, encrypted under the person's own data key, at
 * `users/<userId>/exports/<requestId>.<claimId>.zip` (each claim of a request writes its own, so a worker
 * taken for dead never deletes or overwrites the archive of the one that took over); it goes with the
 * account (key shredded, blob deleted).
 * Images are read and added one at a time, each only once the previous one has flowed on towards
 * the store (backpressure): a big export holds about one image in memory, not all of them.
 */
@Injectable()
export class ExportArchiveService {
  constructor(private readonly blobs: EncryptedBlobsService) {}

  static key({ userId, requestId, claimId }: ArchiveOwner): string {
    return `${EncryptedBlobsService.userFolder(userId)}exports/${requestId}.${claimId}.zip`;
  }

  async write(
    owner: ArchiveOwner,
    collected: { sections: Record<string, unknown>; files: ExportFile[] },
    generatedAt: Date,
  ): Promise<WrittenArchive> {
    const { userId, requestId } = owner;
    const key = ExportArchiveService.key(owner);
    // archiver buffers up to 1 MiB by default before it pushes back; a segment's worth is plenty.
    const zip = archiver('zip', { zlib: { level: 6 }, highWaterMark: SLICE_BYTES });
    const stored = this.blobs.put({ userId }, key, zip as unknown as Readable);
    // If the store fails, stop feeding the archive (its error surfaces from `stored`).
    stored.catch(() => zip.abort());
    try {
      return await this.fill(zip, stored, key, requestId, collected, generatedAt);
    } catch (error) {
      // Nothing half-written stays behind: the archive is ended and its blob deleted.
      zip.abort();
      await stored.catch(() => 0);
      await this.blobs.delete(key);
      throw error;
    }
  }

  private async fill(
    zip: archiver.Archiver,
    stored: Promise<number>,
    key: string,
    requestId: string,
    collected: { sections: Record<string, unknown>; files: ExportFile[] },
    generatedAt: Date,
  ): Promise<WrittenArchive> {
    const included: { path: string; bytes: number }[] = [];
    const gone: string[] = [];
    for (const file of collected.files) {
      const bytes = await file.read();
      if (!bytes) {
        gone.push(file.path);
        continue;
      }
      await appendEntry(zip, bytes, file.path, stored);
      included.push({ path: file.path, bytes: bytes.length });
    }
    const manifest = {
      format: EXPORT_FORMAT_VERSION,
      generatedAt: generatedAt.toISOString(),
      requestId,
      sections: Object.keys(collected.sections),
      files: included,
      filesNoLongerStored: gone,
    };
    zip.append(JSON.stringify({ manifest, ...collected.sections }, null, 2), { name: 'export.json' });
    await zip.finalize();
    await stored;
    const counts: Record<string, number> = { sections: manifest.sections.length, files: included.length, filesGone: gone.length };
    for (const [name, data] of Object.entries(collected.sections)) if (Array.isArray(data)) counts[`items.${name}`] = data.length;
    return { key, counts };
  }

  open(userId: string, key: string): Promise<Readable> {
    return this.blobs.open({ userId }, key);
  }

  delete(key: string): Promise<void> {
    return this.blobs.delete(key);
  }
}

/**
 * Adds one file to the archive as a stream of slices and resolves once the archive has taken all
 * of it (archiver's `entry` event). A stream entry is piped (a Buffer entry would be written at
 * once, whatever the store's pace), so this waits while the store is not reading. Rejects when
 * the store fails or stops first.
 */
function appendEntry(zip: archiver.Archiver, bytes: Buffer, name: string, stored: Promise<number>): Promise<void> {
  const added = new Promise<void>((resolve) => zip.once('entry', () => resolve()));
  zip.append(Readable.from(slices(bytes)), { name, store: true });
  const storeEnded = stored.then(() => {
    throw new Error('the blob store finished before the archive did');
  });
  return Promise.race([added, storeEnded]);
}

function* slices(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) yield bytes.subarray(offset, offset + SLICE_BYTES);
}
