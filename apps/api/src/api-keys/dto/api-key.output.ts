import { Field, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../common/pagination/connection.types';

@ObjectType('ApiKey', { description: 'A team credential for GraphQL clients; the secret is shown only once.' })
export class ApiKeyOutput {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  teamId: string;

  @Field()
  name: string;

  @Field({ description: 'The first characters of the secret, e.g. `ck_AbCd1234`, to recognise it.' })
  prefix: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyOutput {
  @Field({ description: 'The full secret (`ck_…`). Store it now: it cannot be shown again.' })
  secret: string;

  @Field(() => ApiKeyOutput)
  apiKey: ApiKeyOutput;
}

export const ApiKeyConnection = ConnectionType('ApiKey', ApiKeyOutput);
