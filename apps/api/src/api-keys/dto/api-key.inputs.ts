import { Field, InputType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  teamId: string;

  @Field({ description: '1–100 characters, e.g. "CI pipeline".' })
  name: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id: string;
}
