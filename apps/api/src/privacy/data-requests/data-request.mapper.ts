import type { DataRequestOutput } from './dto/data-request.output';
import { OPEN_STATUSES } from './data-request-states';
import type { DataRequestEntity } from './entities/data-request.entity';

/** Who reads a request: the person it is about (their own), or a platform admin (everything but the download link). */
export type DataRequestViewer = 'SUBJECT' | 'ADMIN';

export function toDataRequestOutput(
  r: DataRequestEntity,
  viewer: DataRequestViewer,
  now: Date,
  downloadUrl?: (id: string) => string,
): DataRequestOutput {
  const admin = viewer === 'ADMIN';
  const archiveLive = !!r.exportBlobKey && !!r.exportExpiresAt && r.exportExpiresAt > now && r.status === 'COMPLETED';
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    origin: r.origin,
    subjectUserId: admin ? r.subjectUserId : null,
    note: admin ? r.note : null,
    createdAt: r.createdAt,
    dueAt: r.dueAt,
    // Not answered in time: still open, or failed (until an admin runs it again or the person is told).
    overdue: (OPEN_STATUSES.includes(r.status) || r.status === 'FAILED') && r.dueAt < now,
    approvedAt: r.approvedAt,
    rejectedAt: r.rejectedAt,
    rejectionReason: r.rejectionReason,
    executeAfter: r.executeAfter,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    canceledAt: r.canceledAt,
    progress: r.progress,
    step: r.step,
    waitingReason: admin && r.waitingReason ? { reason: r.waitingReason, holdId: r.waitingHoldId, reference: r.waitingReference } : null,
    receipt: r.receipt
      ? {
          startedAt: new Date(r.receipt.startedAt),
          completedAt: new Date(r.receipt.completedAt),
          items: Object.entries(r.receipt.counts).map(([name, count]) => ({ name, count })),
        }
      : null,
    exportExpiresAt: r.exportExpiresAt,
    downloadUrl: !admin && archiveLive && downloadUrl ? downloadUrl(r.id) : null,
    errorCode: r.errorCode,
  };
}
