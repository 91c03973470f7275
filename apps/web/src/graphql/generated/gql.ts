/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      id\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      id\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) {\n      id\n      email\n    }\n  }\n": typeof types.VerifyEmailDocument,
    "\n  mutation ResendVerification($input: ResendVerificationInput!) {\n    resendVerification(input: $input)\n  }\n": typeof types.ResendVerificationDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query PolicyVersion($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      version\n      title\n    }\n  }\n": typeof types.PolicyVersionDocument,
    "\n  mutation AcceptPolicy($input: AcceptPolicyInput!) {\n    acceptPolicy(input: $input) {\n      id\n      mustAcceptPolicy\n    }\n  }\n": typeof types.AcceptPolicyDocument,
    "\n  query ConsentState {\n    consent {\n      id\n      categories\n      policyVersion\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n  }\n": typeof types.ConsentStateDocument,
    "\n  mutation RecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      id\n      categories\n      policyVersion\n    }\n  }\n": typeof types.RecordConsentDocument,
    "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n": typeof types.PolicyDocument,
    "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n    }\n  }\n": typeof types.PricesDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      isDefault\n      available\n      licence\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      id\n      uploadUrl\n      expiresAt\n    }\n  }\n": typeof types.CreateUploadDocument,
    "\n  mutation RemoveBackground($input: RemoveBackgroundInput!) {\n    removeBackground(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      creditsCharged\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RemoveBackgroundDocument,
    "\n  subscription JobUpdated($jobId: ID!) {\n    jobUpdated(jobId: $jobId) {\n      jobId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.JobUpdatedDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      emailVerified\n      isPlatformAdmin\n      mustAcceptPolicy\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Teams {\n    teams(first: 100) {\n      edges {\n        node {\n          id\n          name\n          personal\n          viewerRole\n        }\n      }\n    }\n  }\n": typeof types.TeamsDocument,
    "\n  query CreditBalance($teamId: ID!) {\n    creditBalance(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": typeof types.CreditBalanceDocument,
    "\n  subscription CreditBalanceChanged($teamId: ID!) {\n    creditBalanceChanged(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": typeof types.CreditBalanceChangedDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      id\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      id\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) {\n      id\n      email\n    }\n  }\n": types.VerifyEmailDocument,
    "\n  mutation ResendVerification($input: ResendVerificationInput!) {\n    resendVerification(input: $input)\n  }\n": types.ResendVerificationDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  query PolicyVersion($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      version\n      title\n    }\n  }\n": types.PolicyVersionDocument,
    "\n  mutation AcceptPolicy($input: AcceptPolicyInput!) {\n    acceptPolicy(input: $input) {\n      id\n      mustAcceptPolicy\n    }\n  }\n": types.AcceptPolicyDocument,
    "\n  query ConsentState {\n    consent {\n      id\n      categories\n      policyVersion\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n  }\n": types.ConsentStateDocument,
    "\n  mutation RecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      id\n      categories\n      policyVersion\n    }\n  }\n": types.RecordConsentDocument,
    "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n": types.PolicyDocument,
    "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n    }\n  }\n": types.PricesDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      isDefault\n      available\n      licence\n    }\n  }\n": types.ModelsDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      id\n      uploadUrl\n      expiresAt\n    }\n  }\n": types.CreateUploadDocument,
    "\n  mutation RemoveBackground($input: RemoveBackgroundInput!) {\n    removeBackground(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      creditsCharged\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.RemoveBackgroundDocument,
    "\n  subscription JobUpdated($jobId: ID!) {\n    jobUpdated(jobId: $jobId) {\n      jobId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.JobUpdatedDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      emailVerified\n      isPlatformAdmin\n      mustAcceptPolicy\n    }\n  }\n": types.MeDocument,
    "\n  query Teams {\n    teams(first: 100) {\n      edges {\n        node {\n          id\n          name\n          personal\n          viewerRole\n        }\n      }\n    }\n  }\n": types.TeamsDocument,
    "\n  query CreditBalance($teamId: ID!) {\n    creditBalance(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": types.CreditBalanceDocument,
    "\n  subscription CreditBalanceChanged($teamId: ID!) {\n    creditBalanceChanged(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": types.CreditBalanceChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) {\n      id\n      email\n    }\n  }\n"): typeof import('./graphql').VerifyEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendVerification($input: ResendVerificationInput!) {\n    resendVerification(input: $input)\n  }\n"): typeof import('./graphql').ResendVerificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input)\n  }\n"): typeof import('./graphql').RequestPasswordResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PolicyVersion($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      version\n      title\n    }\n  }\n"): typeof import('./graphql').PolicyVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptPolicy($input: AcceptPolicyInput!) {\n    acceptPolicy(input: $input) {\n      id\n      mustAcceptPolicy\n    }\n  }\n"): typeof import('./graphql').AcceptPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsentState {\n    consent {\n      id\n      categories\n      policyVersion\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n  }\n"): typeof import('./graphql').ConsentStateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      id\n      categories\n      policyVersion\n    }\n  }\n"): typeof import('./graphql').RecordConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n"): typeof import('./graphql').PolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n    }\n  }\n"): typeof import('./graphql').PricesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    models {\n      id\n      name\n      isDefault\n      available\n      licence\n    }\n  }\n"): typeof import('./graphql').ModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      id\n      uploadUrl\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').CreateUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveBackground($input: RemoveBackgroundInput!) {\n    removeBackground(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      creditsCharged\n      error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveBackgroundDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobUpdated($jobId: ID!) {\n    jobUpdated(jobId: $jobId) {\n      jobId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').JobUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      emailVerified\n      isPlatformAdmin\n      mustAcceptPolicy\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Teams {\n    teams(first: 100) {\n      edges {\n        node {\n          id\n          name\n          personal\n          viewerRole\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeamsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreditBalance($teamId: ID!) {\n    creditBalance(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n"): typeof import('./graphql').CreditBalanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CreditBalanceChanged($teamId: ID!) {\n    creditBalanceChanged(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n"): typeof import('./graphql').CreditBalanceChangedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
