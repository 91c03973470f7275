import { Inject, Injectable } from '@nestjs/common';
import { linkHolderOf } from '../../common/request-context/link-holder';
import type { Principal } from '../../common/request-context/principal';
import { UrlSigner, type SignedLinkQuery } from '../../common/url-signer';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';

/** What a signed job link serves: the result (`/downloads/:id`), the original, or a small preview of the result. */
export type JobFile = 'result' | 'input' | 'thumbnail';

/**
 * The signed, expiring links to a job's files: written here for Job.resultUrl, Job.inputUrl,
 * Job.thumbnailUrl and the SUCCEEDED event, checked here by the downloads controller that serves
 * them. The signature covers the path, so a link to one file of one job opens nothing else, and
 * the credential it was made for (`by`), which the controller checks is still live and still a
 * key or member of the job's team (auth/link-holders.service.ts).
 */
@Injectable()
export class ResultLinks {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly signer: UrlSigner,
  ) {}

  /** An absolute link for `holder` (the caller), valid for DOWNLOAD_URL_TTL_SECONDS. */
  urlFor(jobId: string, holder: Principal, file: JobFile = 'result'): string {
    const path = jobFilePath(jobId, file);
    return `${this.config.PUBLIC_URL}${path}?${this.signer.sign(path, this.config.DOWNLOAD_URL_TTL_SECONDS, linkHolderOf(holder)).query}`;
  }

  /** Throws INVALID_TOKEN for a wrong signature or an expired link. */
  verify(jobId: string, link: SignedLinkQuery, file: JobFile = 'result'): void {
    this.signer.verify(jobFilePath(jobId, file), link);
  }
}

export function jobFilePath(jobId: string, file: JobFile): string {
  return file === 'result' ? `/downloads/${jobId}` : `/downloads/${jobId}/${file}`;
}
