import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../../common/clock';
import { CLOCK } from '../../common/tokens';
import { UrlSigner } from '../../common/url-signer';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';

/**
 * Signed, expiring links to a completed export's archive (DOWNLOAD_URL_TTL_SECONDS, by the
 * injected clock): given to the requester only, in `DataRequest.downloadUrl`, never mailed.
 */
@Injectable()
export class ExportLinks {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signer: UrlSigner,
  ) {}

  urlFor(requestId: string): string {
    const path = exportPath(requestId);
    return `${this.config.PUBLIC_URL}${path}?${this.signer.sign(path, this.config.DOWNLOAD_URL_TTL_SECONDS, this.clock.now().getTime()).query}`;
  }

  /** Throws INVALID_TOKEN for a forged or expired link. */
  verify(requestId: string, expires: string | undefined, signature: string | undefined): void {
    this.signer.verify(exportPath(requestId), expires, signature, this.clock.now().getTime());
  }
}

export const exportPath = (requestId: string) => `/privacy/exports/${requestId}`;
