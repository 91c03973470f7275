import { ArgsType, Field, InputType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { PageArgs } from '../../../common/pagination/connection.types';
import { AuditAction } from '../audit-actions';

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID)
  teamId: string;
}

@InputType({ description: 'Every given field must match (AND); none given: every entry.' })
export class AuditLogFilter {
  @Field(() => AuditAction, { nullable: true })
  action?: AuditAction;

  @Field(() => ID, { nullable: true, description: 'Entries in this team (also a team that no longer exists).' })
  teamId?: string;

  @Field(() => ID, { nullable: true, description: 'Entries where this user acted.' })
  actorId?: string;

  @Field({
    nullable: true,
    description: 'Entries where the account with this email acted or is the subject (matched through the blind index; never stored).',
  })
  email?: string;

  @Field({ nullable: true, description: 'From this instant (inclusive).' })
  from?: Date;

  @Field({ nullable: true, description: 'Up to this instant (exclusive); not before `from`.' })
  to?: Date;
}

@ArgsType()
export class PlatformAuditLogArgs extends PageArgs {
  @Field(() => AuditLogFilter, { nullable: true })
  filter?: AuditLogFilter;
}
