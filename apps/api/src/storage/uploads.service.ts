import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import { LinkHolders } from '../auth/link-holders.service';
import { AppError, badInput, conflict, imageTooLarge, invalidToken, notFound, unsupportedImage } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import type { Clock } from '../common/clock';
import { CLOCK, DATA_SOURCE } from '../common/tokens';
import { withoutControlCharacters } from '../common/text-rules';
import { isUuid } from '../common/uuid';
import { queryRows } from '../database/query-rows';
import { safeEqual } from '@cutout/crypto';
import { API_CONFIG, UPLOAD_CLAIM_SECONDS, type ApiConfig } from '../config/api.config';
import type { TeamAccess } from '../teams/team-access.service';
import { BlobDeletions } from './blob-deletions';
import { EncryptedBlobsService } from './encrypted-blobs.service';
import { UploadEntity } from './entities/upload.entity';
import { FileNames, type StoredFileName } from './file-names';
import { ACCEPTED_CONTENT_TYPES, probeImage, type ImageInfo } from './image-probe';
import type { UploadOutput } from './dto/upload.output';

/** An upload whose bytes are stored and checked, ready to be processed. */
export interface ReadyUpload extends ImageInfo {
  id: string;
  teamId: string;
  /** Its file name, sealed under the team's data key (FileNames): a job made from it keeps this. */
  filenameSealed: Buffer;
  blobKey: string;
}

/** An upload row's file name in the form it is stored. */
const storedName = (upload: UploadEntity): StoredFileName => ({ sealed: upload.filenameSealed, legacy: upload.legacyFilename });

/** A PUT that holds its upload: it alone may store bytes, under its own blob key. */
export interface UploadClaim {
  upload: UploadEntity;
  blobKey: string;
}

export function cleanFilename(raw: string): string {
  const name = withoutControlCharacters(raw.replace(/[\\/]/g, '_')).trim();
  if (!name || name.length > 255) throw badInput('filename', 'File names have 1 to 255 characters.');
  return name;
}

/** Declared uploads, their single-use signed PUT URLs, and inline images. */
@Injectable()
export class UploadsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly blobs: EncryptedBlobsService,
    private readonly blobDeletions: BlobDeletions,
    private readonly fileNames: FileNames,
    private readonly holders: LinkHolders,
  ) {}

  /** `holder`: the credential the URL is made for (linkHolderOf); its PUT is refused once that one may no longer run the team's jobs. */
  async create(
    access: TeamAccess,
    input: { filename: string; contentType: string; byteSize: number },
    holder: string,
  ): Promise<UploadOutput> {
    const filename = cleanFilename(input.filename);
    if (!(ACCEPTED_CONTENT_TYPES as readonly string[]).includes(input.contentType)) {
      throw new AppError(ErrorCode.UNSUPPORTED_IMAGE, `Content type must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}.`, {
        field: 'contentType',
      });
    }
    if (!Number.isInteger(input.byteSize) || input.byteSize < 1) throw badInput('byteSize', 'byteSize must be a positive number of bytes.');
    if (input.byteSize > this.config.MAX_UPLOAD_BYTES) throw imageTooLarge(`Uploads are limited to ${this.config.MAX_UPLOAD_BYTES} bytes.`);
    const { token, hash } = newSecretToken();
    const upload = await this.dataSource.getRepository(UploadEntity).save({
      teamId: access.teamId,
      status: 'PENDING',
      legacyFilename: null,
      filenameSealed: await this.fileNames.seal(access.teamId, filename),
      declaredContentType: input.contentType,
      declaredBytes: input.byteSize,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + this.config.UPLOAD_URL_TTL_SECONDS * 1000),
      createdBy: holder,
      blobKey: null,
      contentType: null,
      width: null,
      height: null,
      bytes: null,
      uploadedAt: null,
    });
    return { id: upload.id, uploadUrl: `${this.config.PUBLIC_URL}/uploads/${upload.id}?token=${token}`, expiresAt: upload.expiresAt };
  }

  /**
   * Checks a PUT to a signed URL before reading its body, then claims the upload for it:
   * while one PUT is storing, another to the same URL answers CONFLICT; once one succeeded,
   * the URL is used (INVALID_TOKEN).
   */
  async claimPut(uploadId: string, token: string | undefined, contentLength: number | undefined): Promise<UploadClaim> {
    const upload = isUuid(uploadId) ? await this.dataSource.getRepository(UploadEntity).findOneBy({ id: uploadId }) : null;
    if (!upload) throw notFound('Upload');
    if (!token || !upload.tokenHash || !safeEqual(hashSecretToken(token), upload.tokenHash))
      throw invalidToken('This upload URL is not valid.');
    if (upload.uploadedAt) throw invalidToken('This upload URL has already been used.');
    if (upload.expiresAt <= new Date()) throw invalidToken('This upload URL has expired. Create a new upload.');
    // The key or sign-in it was made for must still be live and allowed to run the team's jobs (none: a URL from before this rule).
    if (upload.createdBy !== null) await this.holders.assertMayReadJobs(await this.holders.live(upload.createdBy), upload.teamId);
    if (contentLength !== undefined && contentLength > upload.declaredBytes) {
      throw imageTooLarge(`The body (${contentLength} bytes) is larger than the declared ${upload.declaredBytes} bytes.`);
    }
    // Each attempt writes under its own key, which is also the claim's token.
    const blobKey = EncryptedBlobsService.key(upload.teamId, 'uploads', `${upload.id}.${randomUUID()}`);
    const claimed = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE uploads SET blob_key = $2, claimed_until = now() + $3 * interval '1 second'
       WHERE id = $1 AND uploaded_at IS NULL AND expires_at > now() AND (claimed_until IS NULL OR claimed_until <= now()) RETURNING id`,
      [upload.id, blobKey, UPLOAD_CLAIM_SECONDS],
    );
    if (claimed.length) return { upload, blobKey };
    const now = await this.dataSource.getRepository(UploadEntity).findOneBy({ id: upload.id });
    if (!now || now.uploadedAt) throw invalidToken('This upload URL has already been used.');
    if (now.expiresAt <= new Date()) throw invalidToken('This upload URL has expired. Create a new upload.');
    throw conflict('Another PUT to this upload URL is in progress.');
  }

  /**
   * Reads exactly the declared number of bytes, checks the image, stores it encrypted under
   * the claim's key, and marks the URL used. On any failure it gives the claim back, so the URL
   * can be tried again with the right bytes, and removes only its own blob (queued with the
   * claim's release: a store that fails that delete too leaves it for the sweep, BlobDeletions).
   */
  async receive(claim: UploadClaim, body: Readable): Promise<ReadyUpload> {
    const { upload, blobKey } = claim;
    let written = false;
    try {
      const bytes = await readAtMost(body, upload.declaredBytes);
      if (bytes.length !== upload.declaredBytes) {
        throw badInput('body', `The body has ${bytes.length} bytes; ${upload.declaredBytes} were declared.`);
      }
      const info = await probeImage(bytes, this.config.MAX_IMAGE_MEGAPIXELS);
      const filenameSealed = await this.fileNames.sealed(upload.teamId, storedName(upload));
      // From here a failure may have left bytes under the key (a store can fail mid-write).
      written = true;
      await this.blobs.put(upload.teamId, blobKey, bytes);
      const updated = await queryRows<{ id: string }>(
        this.dataSource.manager,
        `UPDATE uploads SET status = 'UPLOADED', uploaded_at = now(), claimed_until = NULL, content_type = $3, width = $4, height = $5, bytes = $6
         WHERE id = $1 AND blob_key = $2 AND uploaded_at IS NULL RETURNING id`,
        [upload.id, blobKey, info.contentType, info.width, info.height, info.bytes],
      );
      if (!updated.length) throw conflict('Another PUT to this upload URL took it over.');
      return { ...info, id: upload.id, teamId: upload.teamId, filenameSealed, blobKey };
    } catch (error) {
      // The claim goes back first, with the key queued: a store that fails to delete too must not keep the URL locked.
      // The key is this attempt's own, so a leftover never collides with a later PUT.
      await this.changeThenDeleteBlob(written ? blobKey : undefined, (manager) =>
        queryRows(
          manager,
          `UPDATE uploads SET blob_key = NULL, claimed_until = NULL WHERE id = $1 AND blob_key = $2 AND uploaded_at IS NULL RETURNING id`,
          [upload.id, blobKey],
        ),
      );
      throw error;
    }
  }

  /** An inline (base64) image: checked and stored as an already-complete upload. */
  async receiveInline(access: TeamAccess, base64: string, filename = 'image'): Promise<ReadyUpload> {
    const maxChars = Math.ceil((this.config.MAX_INLINE_BYTES * 4) / 3) + 4;
    if (base64.length > maxChars)
      throw imageTooLarge(`Inline images are limited to ${this.config.MAX_INLINE_BYTES} bytes; use createUpload.`);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(base64)) throw badInput('imageBase64', 'imageBase64 is not valid base64.');
    const bytes = Buffer.from(base64, 'base64');
    if (!bytes.length) throw unsupportedImage('The image is empty.');
    if (bytes.length > this.config.MAX_INLINE_BYTES)
      throw imageTooLarge(`Inline images are limited to ${this.config.MAX_INLINE_BYTES} bytes.`);
    const info = await probeImage(bytes, this.config.MAX_IMAGE_MEGAPIXELS);
    const filenameSealed = await this.fileNames.seal(access.teamId, cleanFilename(filename));
    const upload = await this.dataSource.getRepository(UploadEntity).save({
      teamId: access.teamId,
      status: 'UPLOADED',
      legacyFilename: null,
      filenameSealed,
      declaredContentType: info.contentType,
      declaredBytes: info.bytes,
      tokenHash: null,
      expiresAt: new Date(),
      blobKey: null,
      contentType: info.contentType,
      width: info.width,
      height: info.height,
      bytes: info.bytes,
      uploadedAt: new Date(),
    });
    const blobKey = EncryptedBlobsService.key(access.teamId, 'uploads', upload.id);
    try {
      await this.blobs.put(access.teamId, blobKey, bytes);
      await this.dataSource.getRepository(UploadEntity).update({ id: upload.id }, { blobKey });
    } catch (error) {
      await this.discard(upload.id, access.teamId, blobKey);
      throw error;
    }
    return { ...info, id: upload.id, teamId: access.teamId, filenameSealed, blobKey };
  }

  /**
   * Removes an inline image that no job uses (a concurrent submit with the same idempotency
   * key won, or the job was refused): its row and its blob. Declared uploads are kept (their owner may submit again).
   */
  async discardInline(upload: ReadyUpload): Promise<void> {
    await this.discard(upload.id, upload.teamId, upload.blobKey);
  }

  /** An upload's row deleted, then its blob (changeThenDeleteBlob). */
  private discard(id: string, teamId: string, blobKey: string): Promise<void> {
    return this.changeThenDeleteBlob(blobKey, (manager) => manager.getRepository(UploadEntity).delete({ id, teamId }));
  }

  /**
   * A failed or unused upload's clean-up: `change` and the blob's key (if any) queued in one
   * transaction, then the blob (BlobDeletions). Never throws for the store: a blob it keeps stays
   * queued for the sweep, and the caller's own error is the one reported.
   */
  private async changeThenDeleteBlob(blobKey: string | undefined, change: (manager: EntityManager) => Promise<unknown>): Promise<void> {
    const deleteBlob = await this.dataSource.transaction(async (manager) => {
      await change(manager);
      return this.blobDeletions.queueUntilCommitted(manager, blobKey ? [blobKey] : [], this.clock.now());
    });
    await deleteBlob().catch(() => undefined);
  }

  /** A stored upload of the team, or NOT_FOUND (another team's upload is not visible). */
  async findReadyOrThrow(access: TeamAccess, uploadId: string): Promise<ReadyUpload> {
    const upload = isUuid(uploadId)
      ? await this.dataSource.getRepository(UploadEntity).findOneBy({ id: uploadId, teamId: access.teamId })
      : null;
    if (!upload) throw notFound('Upload');
    if (upload.status !== 'UPLOADED' || !upload.blobKey || !upload.contentType || !upload.width || !upload.height || !upload.bytes) {
      throw new AppError(ErrorCode.CONFLICT, 'The upload has no bytes yet: PUT the file to its uploadUrl first.', { field: 'uploadId' });
    }
    return {
      id: upload.id,
      teamId: upload.teamId,
      filenameSealed: await this.fileNames.sealed(upload.teamId, storedName(upload)),
      blobKey: upload.blobKey,
      contentType: upload.contentType as ReadyUpload['contentType'],
      width: upload.width,
      height: upload.height,
      bytes: upload.bytes,
    };
  }
}

/**
 * Reads a stream into memory, stopping with IMAGE_TOO_LARGE past `limit` bytes. It leaves
 * the stream open when it stops, so the refusal can still reach the client (the caller
 * closes the connection once it is sent).
 */
async function readAtMost(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    total += (chunk as Buffer).length;
    if (total > limit) throw imageTooLarge(`The body is larger than the declared ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
