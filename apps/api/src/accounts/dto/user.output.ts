import { Field, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';

@ObjectType('User', { description: 'A person with a Cutout login.' })
export class UserOutput {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  emailVerified: boolean;

  @Field({ description: 'Platform administrators can use the admin console.' })
  isPlatformAdmin: boolean;

  @Field()
  createdAt: Date;

  /** Known when the account was just made (sign-up); otherwise `User.mustAcceptPolicy` reads it. */
  mustAcceptPolicy?: boolean;
}
