import { ArgsType, Field, InputType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { PageArgs } from '../../../common/pagination/connection.types';
import { LegalHoldSubjectKind } from '../entities/legal-hold.entity';

@InputType()
export class LegalHoldSubjectInput {
  @Field(() => LegalHoldSubjectKind)
  kind: LegalHoldSubjectKind;

  @Field(() => ID, { description: 'The user’s or the team’s id; it must exist.' })
  id: string;
}

@InputType()
export class PlaceLegalHoldInput {
  @Field(() => LegalHoldSubjectInput)
  subject: LegalHoldSubjectInput;

  @Field({ description: 'The legal document it rests on, 1–200 characters (e.g. a case number).' })
  reference: string;
}

@InputType()
export class ReleaseLegalHoldInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Why it is released, 1–500 characters.' })
  reason: string;
}

@ArgsType()
export class LegalHoldsArgs extends PageArgs {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'Only holds not released yet (the default; null counts as true).',
  })
  activeOnly?: boolean | null;
}
