import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import type { ExportFile } from '../personal-data/personal-data.registry';

export const EXPORT_FORMAT_VERSION = 1;

export interface WrittenArchive {
  key: string;
  /** For the receipt: sections, files included, files already gone, items per list section. */
  counts: Record<string, number>;
}

/**
 * A data export as a ZIP: `export.json` (a manifest — when, which sections, which files — and
 * every section) and the images that still exist under `images/…`. It is written as a stream
 * straight into the blob store, encrypted under the person's own data key, at
 * `users/<userId>/exports/<requestId>.zip`; it goes with the account (key shredded, blob deleted).
 */
@Injectable()
export class ExportArchiveService {
  constructor(private readonly blobs: EncryptedBlobsService) {}

  static key(userId: string, requestId: string): string {
    return `users/${userId}/exports/${requestId}.zip`;
  }

  async write(
    requestId: string,
    userId: string,
    collected: { sections: Record<string, unknown>; files: ExportFile[] },
    generatedAt: Date,
  ): Promise<WrittenArchive> {
    const key = ExportArchiveService.key(userId, requestId);
    await this.blobs.delete(key); // a retry after a half-written archive starts afresh (keys are written once)
    const zip = archiver('zip', { zlib: { level: 6 } });
    const stored = this.blobs.put({ userId }, key, zip as unknown as Readable);
    // If the store fails, stop feeding the archive (its error surfaces from `stored`).
    stored.catch(() => zip.abort());
    const included: { path: string; bytes: number }[] = [];
    const gone: string[] = [];
    for (const file of collected.files) {
      const bytes = await file.read();
      if (!bytes) {
        gone.push(file.path);
        continue;
      }
      zip.append(bytes, { name: file.path, store: true });
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

  /** Every archive of the person (with their account). */
  deleteAllOf(userId: string): Promise<number> {
    return this.blobs.deleteUser(userId);
  }
}
