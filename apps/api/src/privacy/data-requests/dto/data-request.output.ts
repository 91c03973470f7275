import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../../common/pagination/connection.types';
import { DataRequestKind, DataRequestOrigin, DataRequestStatus } from '../data-request-states';

registerEnumType(DataRequestKind, {
  name: 'DataRequestKind',
  description: 'EXPORT: an archive of everything held about the person; DELETION: erase it.',
});
registerEnumType(DataRequestStatus, {
  name: 'DataRequestStatus',
  description:
    'PENDING → APPROVED → EXECUTING → COMPLETED, or REJECTED (by an admin, from PENDING), CANCELED (by the person, before execution), FAILED (every attempt failed; see errorCode).',
});
registerEnumType(DataRequestOrigin, {
  name: 'DataRequestOrigin',
  description: 'SELF_SERVICE: the person asked in the app; ADMIN: opened by a platform admin.',
});

@ObjectType('DataRequestReceiptItem')
export class DataRequestReceiptItemOutput {
  @Field({ description: 'What, e.g. `jobs.rows` or `files`.' })
  name: string;

  @Field(() => Int)
  count: number;
}

@ObjectType('DataRequestReceipt', { description: 'What an executed request did: counts only, no personal data.' })
export class DataRequestReceiptOutput {
  @Field()
  startedAt: Date;

  @Field()
  completedAt: Date;

  @Field(() => [DataRequestReceiptItemOutput])
  items: DataRequestReceiptItemOutput[];
}

@ObjectType('DataRequestWaiting', { description: 'Why an approved request does not run yet (platform admins only).' })
export class DataRequestWaitingOutput {
  @Field({ description: 'LEGAL_HOLD' })
  reason: string;

  @Field(() => ID, { nullable: true })
  holdId: string | null;

  @Field(() => String, { nullable: true, description: 'The hold’s legal reference.' })
  reference: string | null;
}

@ObjectType('DataRequest', { description: 'A data-subject request: an export or a deletion of a person’s data.' })
export class DataRequestOutput {
  @Field(() => ID)
  id: string;

  @Field(() => DataRequestKind)
  kind: DataRequestKind;

  @Field(() => DataRequestStatus)
  status: DataRequestStatus;

  @Field(() => DataRequestOrigin)
  origin: DataRequestOrigin;

  @Field(() => ID, { nullable: true, description: 'The person it is about (platform admins only; null once deleted).' })
  subjectUserId: string | null;

  @Field(() => String, { nullable: true, description: 'How the person asked (platform admins only).' })
  note: string | null;

  @Field()
  createdAt: Date;

  @Field({ description: 'Statutory deadline: 30 days after it was made.' })
  dueAt: Date;

  @Field({ description: 'Still open and past its due date.' })
  overdue: boolean;

  @Field(() => Date, { nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  rejectedAt: Date | null;

  @Field(() => String, { nullable: true })
  rejectionReason: string | null;

  @Field(() => Date, { nullable: true, description: 'Not executed before this (a deletion’s grace period: cancel until then).' })
  executeAfter: Date | null;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => Date, { nullable: true })
  canceledAt: Date | null;

  @Field(() => Float, { description: '0 to 1 while executing; 1 when completed.' })
  progress: number;

  @Field(() => String, { nullable: true, description: 'What the execution is doing, e.g. `erase:jobs`.' })
  step: string | null;

  @Field(() => DataRequestWaitingOutput, { nullable: true })
  waitingReason: DataRequestWaitingOutput | null;

  @Field(() => DataRequestReceiptOutput, { nullable: true })
  receipt: DataRequestReceiptOutput | null;

  @Field(() => Date, { nullable: true, description: 'An export’s archive is deleted at this time.' })
  exportExpiresAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'A signed, expiring link to the export’s ZIP: only for the person it is about, only while the archive exists.',
  })
  downloadUrl: string | null;

  @Field(() => String, { nullable: true, description: 'Why it FAILED: LAST_OWNER, SUBJECT_GONE or INTERNAL.' })
  errorCode: string | null;
}

export const DataRequestConnection = ConnectionType('DataRequest', DataRequestOutput);
