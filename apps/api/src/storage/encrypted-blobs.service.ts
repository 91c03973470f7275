import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { createDecryptStream, createEncryptStream } from '@cutout/crypto';
import { TeamKeysService } from '../crypto/team-keys.service';
import { BlobStore } from './blob-store';

/**
 * Every blob at rest is AES-256-GCM encrypted under its team's data key; the blob key is
 * bound as associated data, so a blob copied under another key or team does not decrypt.
 */
@Injectable()
export class EncryptedBlobsService {
  constructor(
    private readonly store: BlobStore,
    private readonly teamKeys: TeamKeysService,
  ) {}

  static key(teamId: string, kind: 'uploads' | 'results', id: string): string {
    return `teams/${teamId}/${kind}/${id}`;
  }

  async put(teamId: string, key: string, body: Buffer | Readable): Promise<number> {
    const dataKey = await this.teamKeys.dataKey(teamId);
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    return this.store.put(key, source.pipe(createEncryptStream(dataKey, key)));
  }

  /** A decrypting stream; a tampered blob errors the stream. */
  async open(teamId: string, key: string): Promise<Readable> {
    const dataKey = await this.teamKeys.dataKey(teamId);
    const encrypted = await this.store.get(key);
    const decrypt = createDecryptStream(dataKey, key);
    encrypted.on('error', (e) => decrypt.destroy(e));
    return encrypted.pipe(decrypt);
  }

  async read(teamId: string, key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(teamId, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }
}
