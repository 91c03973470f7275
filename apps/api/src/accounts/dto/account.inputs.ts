import { Field, InputType } from 'type-graphql';

@InputType()
export class SignUpInput {
  @Field()
  email: string;

  @Field({ description: 'At least 10 characters, not a common password.' })
  password: string;

  @Field(() => String, {
    nullable: true,
    description: 'The current privacy policy version the person agreed to (recorded with the account); another value is BAD_USER_INPUT.',
  })
  acceptedPolicyVersion?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Where the dashboard goes once the mailed verification link is followed and the person signs in: a path on this site ("/invitations/accept?token=…"), carried in the link as `next`. Anything else is BAD_USER_INPUT (field "next").',
  })
  next?: string | null;
}

@InputType()
export class SignInInput {
  @Field()
  email: string;

  @Field()
  password: string;
}

@InputType()
export class VerifyEmailInput {
  @Field({ description: 'The `token` query parameter of the mailed link.' })
  token: string;

  @Field({ description: 'The password the account was created with: a click by someone who did not sign up confirms nothing.' })
  password: string;
}

@InputType()
export class ResendVerificationInput {
  @Field()
  email: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Where the dashboard goes once the mailed verification link is followed and the person signs in: a path on this site ("/invitations/accept?token=…"), carried in the link as `next`. Anything else is BAD_USER_INPUT (field "next").',
  })
  next?: string | null;
}

@InputType()
export class RequestPasswordResetInput {
  @Field()
  email: string;
}

@InputType()
export class ResetPasswordInput {
  @Field()
  token: string;

  @Field()
  password: string;
}

@InputType()
export class SignOutInput {
  @Field({ nullable: true, description: 'Also end every other session of this user (all devices).' })
  everywhere?: boolean;
}
