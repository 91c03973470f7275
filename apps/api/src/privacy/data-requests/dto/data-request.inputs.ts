import { ArgsType, Field, InputType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { PageArgs } from '../../../common/pagination/connection.types';
import { DataRequestKind, DataRequestStatus } from '../data-request-states';

@InputType()
export class RequestAccountDeletionInput {
  @Field({ description: 'The account’s password, to confirm.' })
  password: string;
}

@InputType()
export class CancelAccountDeletionInput {
  @Field(() => ID)
  id: string;
}

@InputType()
export class CreateDataRequestInput {
  @Field({ description: 'The person’s email (matched through its blind index, never stored).' })
  email: string;

  @Field(() => DataRequestKind)
  kind: DataRequestKind;

  @Field(() => String, { nullable: true, description: 'How they asked (at most 1000 characters).' })
  note?: string | null;
}

@InputType()
export class ApproveDataRequestInput {
  @Field(() => ID)
  id: string;
}

@InputType()
export class RejectDataRequestInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Why (1–500 characters); kept in the audit log.' })
  reason: string;
}

@ArgsType()
export class DataRequestsArgs extends PageArgs {
  @Field(() => DataRequestStatus, { nullable: true })
  status?: DataRequestStatus;
}
