import { Injectable } from '@nestjs/common';
import { pipeline, Readable } from 'node:stream';
import { createDecryptStream, createEncryptStream, DecryptionError } from '@cutout/crypto';
import { TeamKeysService } from '../crypto/team-keys.service';
import { UserKeysService } from '../crypto/user-keys.service';
import { BlobStore } from './blob-store';

/**
 * Every blob at rest is encrypted under its team's data key in the segmented AEAD format of
 * `@cutout/crypto` (64 KiB segments, each AES-256-GCM with its own tag); the blob key is bound
 * as associated data, so a blob copied under another key or team does not decrypt, and a
 * reader never gets a byte of a segment whose tag did not verify. A person's own blobs (their
 * data-export archives) are encrypted the same way under their user data key: pass `{ userId }`.
 */
/** Whose data key seals a blob: a team (its id) or a person (`{ userId }`). */
export type BlobOwner = string | { userId: string };

@Injectable()
export class EncryptedBlobsService {
  constructor(
    private readonly store: BlobStore,
    private readonly teamKeys: TeamKeysService,
    private readonly userKeys: UserKeysService,
  ) {}

  static key(teamId: string, kind: 'uploads' | 'results', id: string): string {
    return `${EncryptedBlobsService.teamFolder(teamId)}${kind}/${id}`;
  }

  /** The folder of every blob of a team (uploads, results): a prefix for deleteFolder. */
  static teamFolder(teamId: string): string {
    return `teams/${teamId}/`;
  }

  /** The folder of every blob of a person (their export archives): a prefix for deleteFolder. */
  static userFolder(userId: string): string {
    return `users/${userId}/`;
  }

  async put(owner: BlobOwner, key: string, body: Buffer | Readable): Promise<number> {
    const dataKey = await this.dataKey(owner);
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    // pipeline, not pipe: a failing source fails the store's write instead of leaving it waiting.
    return this.store.put(
      key,
      pipeline(source, createEncryptStream(dataKey, key), () => undefined),
    );
  }

  /**
   * A decrypting stream that yields a segment only once its tag verified. It resolves after the
   * first segment verified, so a blob tampered with there rejects before a caller commits to an
   * answer; a later bad segment errors the stream with DecryptionError before any of its bytes.
   * An owner whose data key is gone (crypto-shredded) rejects with DecryptionError too: reading never
   * makes a key.
   */
  async open(owner: BlobOwner, key: string): Promise<Readable> {
    const dataKey = await this.existingDataKey(owner);
    if (!dataKey) throw new DecryptionError('the data key of this blob is gone');
    const encrypted = await this.store.get(key);
    const chunks = pipeline(encrypted, createDecryptStream(dataKey, key), () => undefined)[Symbol.asyncIterator]();
    const first = await chunks.next();
    let head: Buffer | null = first.done ? null : (first.value as Buffer);
    let ended = first.done === true;
    return new Readable({
      read() {
        if (head) {
          this.push(head);
          head = null;
        } else if (ended) {
          this.push(null);
        } else {
          chunks.next().then(
            (next) => {
              ended = next.done === true;
              this.push(ended ? null : (next.value as Buffer));
            },
            (error: Error) => this.destroy(error),
          );
        }
      },
      destroy(error, done) {
        // Closes the decrypting stream and the blob's file or connection.
        chunks.return?.().then(
          () => done(error),
          () => done(error),
        );
      },
    });
  }

  async read(owner: BlobOwner, key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(owner, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }

  /** Deletes every blob under `folder` (teamFolder, userFolder: it ends with "/"); returns how many. */
  deleteFolder(folder: string): Promise<number> {
    return this.store.deletePrefix(folder);
  }

  private dataKey(owner: BlobOwner): Promise<Buffer> {
    return typeof owner === 'string' ? this.teamKeys.dataKey(owner) : this.userKeys.dataKey(owner.userId);
  }

  private existingDataKey(owner: BlobOwner): Promise<Buffer | null> {
    return typeof owner === 'string' ? this.teamKeys.existingDataKey(owner) : this.userKeys.existingDataKey(owner.userId);
  }
}
