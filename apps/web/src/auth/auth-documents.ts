import { graphql } from '../graphql/generated';

export const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      id
    }
  }
`);

export const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      id
    }
  }
`);

export const SignOutDocument = graphql(`
  mutation SignOut {
    signOut
  }
`);

export const VerifyEmailDocument = graphql(`
  mutation VerifyEmail($input: VerifyEmailInput!) {
    verifyEmail(input: $input) {
      id
      email
    }
  }
`);

export const ResendVerificationDocument = graphql(`
  mutation ResendVerification($input: ResendVerificationInput!) {
    resendVerification(input: $input)
  }
`);

export const RequestPasswordResetDocument = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input)
  }
`);

export const ResetPasswordDocument = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      id
    }
  }
`);

export const PolicyVersionDocument = graphql(`
  query PolicyVersion($kind: PolicyKind!) {
    policy(kind: $kind) {
      version
      title
    }
  }
`);

export const AcceptPolicyDocument = graphql(`
  mutation AcceptPolicy($input: AcceptPolicyInput!) {
    acceptPolicy(input: $input) {
      id
      mustAcceptPolicy
    }
  }
`);
