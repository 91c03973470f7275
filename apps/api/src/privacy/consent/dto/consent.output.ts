import { Field, ObjectType } from 'type-graphql';
import { ID } from '../../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../../common/pagination/connection.types';
import { ConsentCategory, ConsentSource } from './consent.enums';

@ObjectType('Consent', { description: 'One cookie-consent choice.' })
export class ConsentOutput {
  @Field(() => ID)
  id: string;

  @Field(() => [ConsentCategory], { description: 'Always includes STRICTLY_NECESSARY.' })
  categories: ConsentCategory[];

  @Field({ description: 'The cookie policy version the choice was made against.' })
  policyVersion: string;

  @Field(() => ConsentSource)
  source: ConsentSource;

  @Field()
  recordedAt: Date;
}

export const ConsentConnection = ConnectionType('Consent', ConsentOutput);
