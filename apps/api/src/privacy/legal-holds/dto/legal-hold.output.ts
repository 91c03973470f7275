import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../../common/pagination/connection.types';
import { LegalHoldSubjectKind } from '../entities/legal-hold.entity';

registerEnumType(LegalHoldSubjectKind, {
  name: 'LegalHoldSubjectKind',
  description: 'What a legal hold is on: a user (and their personal team), or a team.',
});

@ObjectType('LegalHold', {
  description: 'While active, deletion and retention pause for its subject (platform admins place and release holds).',
})
export class LegalHoldOutput {
  @Field(() => ID)
  id: string;

  @Field(() => LegalHoldSubjectKind)
  subjectKind: LegalHoldSubjectKind;

  @Field(() => ID)
  subjectId: string;

  @Field({ description: 'The legal document it rests on (case number, authority’s reference).' })
  reference: string;

  @Field()
  placedAt: Date;

  @Field(() => ID, { nullable: true })
  placedByUserId: string | null;

  @Field(() => Date, { nullable: true })
  releasedAt: Date | null;

  @Field(() => ID, { nullable: true })
  releasedByUserId: string | null;

  @Field(() => String, { nullable: true })
  releaseReason: string | null;

  @Field({ description: 'Not released yet.' })
  active: boolean;
}

export const LegalHoldConnection = ConnectionType('LegalHold', LegalHoldOutput);
