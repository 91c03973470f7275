import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../../common/clock';
import { linkHolderOf } from '../../common/request-context/link-holder';
import type { Principal } from '../../common/request-context/principal';
import { CLOCK } from '../../common/tokens';
import { UrlSigner, type SignedLinkQuery } from '../../common/url-signer';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';

/**
 * Signed, expiring links to a completed export's archive (DOWNLOAD_URL_TTL_SECONDS, by the
 * injected clock): given to the requester only, in `DataRequest.downloadUrl`, never mailed, and
 * made for their session (`by`): signing out ends it.
 */
@Injectable()
export class ExportLinks {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signer: UrlSigner,
  ) {}

  urlFor(requestId: string, holder: Principal): string {
    const path = exportPath(requestId);
    const { query } = this.signer.sign(path, this.config.DOWNLOAD_URL_TTL_SECONDS, linkHolderOf(holder), this.clock.now().getTime());
    return `${this.config.PUBLIC_URL}${path}?${query}`;
  }

  /** Throws INVALID_TOKEN for a forged or expired link. */
  verify(requestId: string, link: SignedLinkQuery): void {
    this.signer.verify(exportPath(requestId), link, this.clock.now().getTime());
  }
}

export const exportPath = (requestId: string) => `/privacy/exports/${requestId}`;
