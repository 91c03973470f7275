import type { LegalHoldOutput } from './dto/legal-hold.output';
import type { LegalHoldEntity } from './entities/legal-hold.entity';

export const toLegalHoldOutput = (hold: LegalHoldEntity): LegalHoldOutput => ({
  id: hold.id,
  subjectKind: hold.subjectKind,
  subjectId: hold.subjectId,
  reference: hold.reference,
  placedAt: hold.placedAt,
  placedByUserId: hold.placedByUserId,
  releasedAt: hold.releasedAt,
  releasedByUserId: hold.releasedByUserId,
  releaseReason: hold.releaseReason,
  active: hold.releasedAt === null,
});
