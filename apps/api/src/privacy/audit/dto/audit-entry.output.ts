import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../../common/pagination/connection.types';
import { AuditAction, AuditActorKind } from '../audit-actions';

registerEnumType(AuditAction, { name: 'AuditAction', description: 'What an audit entry records (the one list: audit-actions.ts).' });
registerEnumType(AuditActorKind, {
  name: 'AuditActorKind',
  description: 'Who acted: a person, a team’s API key, the platform itself (sweeper, worker) or an operator at the CLI.',
});

@ObjectType('AuditEntry', { description: 'One entry of the append-only audit log: ids, roles and counts, no personal data in clear.' })
export class AuditEntryOutput {
  @Field(() => ID)
  id: string;

  @Field()
  occurredAt: Date;

  @Field(() => AuditAction)
  action: AuditAction;

  @Field(() => AuditActorKind)
  actorKind: AuditActorKind;

  @Field(() => ID, { nullable: true, description: 'The person who acted (or whose API key did); null once their account is deleted.' })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true })
  actorApiKeyId: string | null;

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field(() => ID, { nullable: true, description: 'The person the action is about; null once their account is deleted.' })
  subjectUserId: string | null;

  @Field(() => String, { nullable: true, description: 'The kind of object acted on when it is not a person, e.g. API_KEY, LEGAL_HOLD.' })
  targetType: string | null;

  @Field(() => String, { nullable: true })
  targetId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why, as the admin or operator gave it (a legal hold’s reference, a credit adjustment’s reason).',
  })
  reason: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Facts without personal data, e.g. `{ "from": "MEMBER", "to": "ADMIN" }` or counts.' })
  details: Record<string, unknown>;
}

export const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntryOutput);
