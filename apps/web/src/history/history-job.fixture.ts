import type { HistoryJob } from './history-state';

/** A job as History lists it (jsdom and unit specs): queued, a cut-out PNG at preview size; `patch` changes any field. */
export function aHistoryJob(id: string, patch: Partial<HistoryJob> = {}): HistoryJob {
  return {
    id,
    filename: `${id}.jpg`,
    status: 'QUEUED',
    stage: 'QUEUED',
    progress: 0,
    createdAt: '2026-11-30T10:00:00.000Z',
    finishedAt: null,
    creditsCharged: 1,
    creditsRefunded: 0,
    inputUrl: null,
    resultUrl: null,
    thumbnailUrl: null,
    resultExpiresAt: null,
    resultExpired: false,
    error: null,
    options: {
      size: 'preview',
      type: 'CUTOUT',
      format: 'PNG',
      mode: 'STANDARD',
      bgColor: null,
      crop: false,
      refine: false,
      decontaminate: true,
    },
    ...patch,
  };
}
