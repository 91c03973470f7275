import { Inject, Injectable } from '@nestjs/common';
import { UrlSigner } from '../../common/url-signer';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';

/**
 * The signed, expiring links to a job's result: written here for Job.resultUrl and the
 * SUCCEEDED event, checked here by the downloads controller that serves them.
 */
@Injectable()
export class ResultLinks {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly signer: UrlSigner,
  ) {}

  /** An absolute link, valid for DOWNLOAD_URL_TTL_SECONDS. */
  urlFor(jobId: string): string {
    const path = resultPath(jobId);
    return `${this.config.PUBLIC_URL}${path}?${this.signer.sign(path, this.config.DOWNLOAD_URL_TTL_SECONDS).query}`;
  }

  /** Throws INVALID_TOKEN for a wrong signature or an expired link. */
  verify(jobId: string, expires: string | undefined, signature: string | undefined): void {
    this.signer.verify(resultPath(jobId), expires, signature);
  }
}

function resultPath(jobId: string): string {
  return `/downloads/${jobId}`;
}
