/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptPolicyInput = {
  /** The current version of the privacy policy (`policy(kind: PRIVACY) { version }`). */
  version: string;
};

/** Cookie categories (see the cookie policy). STRICTLY_NECESSARY is always on; the API itself sets no cookie of the others. */
export type ConsentCategory =
  | 'FUNCTIONALITY'
  | 'MARKETING'
  | 'PERFORMANCE'
  | 'STRICTLY_NECESSARY';

/** BANNER: the first-visit banner; SETTINGS: the privacy settings page. */
export type ConsentSource =
  | 'BANNER'
  | 'SETTINGS';

export type CreateUploadInput = {
  /** Exact size of the file in bytes (at most MAX_UPLOAD_BYTES). */
  byteSize: number;
  /** image/jpeg, image/png or image/webp. The bytes are checked, not this header. */
  contentType: string;
  /** Original file name, used for the result’s download name (at most 255 characters). */
  filename: string;
  teamId: string | number;
};

/** DECODED → INFERENCE → REFINE (when refine is on) → ENCODED → STORED. */
export type JobStage =
  | 'DECODED'
  | 'ENCODED'
  | 'INFERENCE'
  | 'QUEUED'
  | 'REFINE'
  | 'STORED';

export type JobStatus =
  | 'CANCELED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type OutputFormat =
  | 'JPG'
  | 'PNG'
  | 'WEBP';

/** PREVIEW is about 0.25 megapixels; FULL keeps the input size. */
export type OutputSize =
  | 'FULL'
  | 'PREVIEW';

/** CUTOUT: the subject on a transparent (or coloured) background; MASK: the alpha mask. */
export type OutputType =
  | 'CUTOUT'
  | 'MASK';

/** PRIVACY: the privacy policy (accepted at sign-up); COOKIES: the cookie policy (consent is recorded against it). */
export type PolicyKind =
  | 'COOKIES'
  | 'PRIVACY';

export type RecordConsentInput = {
  /** The categories agreed to; STRICTLY_NECESSARY is added when missing. [] declines all others. */
  categories: Array<ConsentCategory>;
  /** The current version of the cookie policy (`policy(kind: COOKIES) { version }`). */
  policyVersion: string;
  source: ConsentSource;
};

export type RemoveBackgroundInput = {
  /** File name of an inline image (for the download name). */
  filename?: string | null | undefined;
  /** Unique per request within the team (1–128 characters): a retry with the same key returns the same job. */
  idempotencyKey: string;
  /** Or the image inline, base64 (at most MAX_INLINE_BYTES, 5 MB by default). */
  imageBase64?: string | null | undefined;
  options?: RemoveBackgroundOptionsInput | null | undefined;
  teamId: string | number;
  /** An upload whose bytes were PUT to its uploadUrl. */
  uploadId?: string | number | null | undefined;
};

export type RemoveBackgroundOptionsInput = {
  /** Background colour: #rgb, #rgba, #rrggbb or #rrggbbaa. Default transparent. */
  bgColor?: string | null | undefined;
  /** Crop to the subject. Default false. */
  crop?: boolean | null | undefined;
  /** Margin when cropping: "12", "12px" or "5%". */
  cropMargin?: string | null | undefined;
  /** Default PNG. JPG cutouts need an opaque bgColor. */
  format?: OutputFormat | null | undefined;
  /** Largest output size in megapixels; overrides `size`. */
  maxMegapixels?: number | null | undefined;
  /** Model id (see the inference service); default: the service’s default model. */
  model?: string | null | undefined;
  /** WEBP/JPG quality 1–100. */
  quality?: number | null | undefined;
  /** Refine edges (hair, fur) on the full-resolution photo. Default false. */
  refine?: boolean | null | undefined;
  /** Default FULL. */
  size?: OutputSize | null | undefined;
  /** Default CUTOUT. */
  type?: OutputType | null | undefined;
};

export type RequestPasswordResetInput = {
  email: string;
};

export type ResendVerificationInput = {
  email: string;
};

export type ResetPasswordInput = {
  password: string;
  token: string;
};

export type SignInInput = {
  email: string;
  password: string;
};

export type SignUpInput = {
  /** The current privacy policy version the person agreed to (recorded with the account); another value is BAD_USER_INPUT. */
  acceptedPolicyVersion?: string | null | undefined;
  email: string;
  /** At least 10 characters, not a common password. */
  password: string;
};

/** A member’s role in a team (see the permission matrix). */
export type TeamRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type VerifyEmailInput = {
  /** The `token` query parameter of the mailed link. */
  token: string;
};

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { id: string } };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { id: string } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type VerifyEmailMutationVariables = Exact<{
  input: VerifyEmailInput;
}>;


export type VerifyEmailMutation = { verifyEmail: { id: string, email: string } };

export type ResendVerificationMutationVariables = Exact<{
  input: ResendVerificationInput;
}>;


export type ResendVerificationMutation = { resendVerification: boolean };

export type RequestPasswordResetMutationVariables = Exact<{
  input: RequestPasswordResetInput;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetPasswordMutation = { resetPassword: { id: string } };

export type PolicyVersionQueryVariables = Exact<{
  kind: PolicyKind;
}>;


export type PolicyVersionQuery = { policy: { version: string, title: string } };

export type AcceptPolicyMutationVariables = Exact<{
  input: AcceptPolicyInput;
}>;


export type AcceptPolicyMutation = { acceptPolicy: { id: string, mustAcceptPolicy: boolean } };

export type ConsentStateQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsentStateQuery = { consent: { id: string, categories: Array<ConsentCategory>, policyVersion: string } | null, policy: { version: string } };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { id: string, categories: Array<ConsentCategory>, policyVersion: string } };

export type PolicyQueryVariables = Exact<{
  kind: PolicyKind;
}>;


export type PolicyQuery = { policy: { kind: PolicyKind, title: string, version: string, markdown: string } };

export type PricesQueryVariables = Exact<{ [key: string]: never; }>;


export type PricesQuery = { prices: { preview: number, full: number, previewMaxMegapixels: number } };

export type ModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelsQuery = { models: Array<{ id: string, name: string, isDefault: boolean, available: boolean, licence: string }> };

export type CreateUploadMutationVariables = Exact<{
  input: CreateUploadInput;
}>;


export type CreateUploadMutation = { createUpload: { id: string, uploadUrl: string, expiresAt: string } };

export type RemoveBackgroundMutationVariables = Exact<{
  input: RemoveBackgroundInput;
}>;


export type RemoveBackgroundMutation = { removeBackground: { id: string, status: JobStatus, stage: JobStage, progress: number, resultUrl: string | null, creditsCharged: number, error: { code: string, message: string } | null } };

export type JobUpdatedSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type JobUpdatedSubscription = { jobUpdated: { jobId: string, status: JobStatus, stage: JobStage, progress: number, resultUrl: string | null, error: { code: string, message: string } | null } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, emailVerified: boolean, isPlatformAdmin: boolean, mustAcceptPolicy: boolean } };

export type TeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamsQuery = { teams: { edges: Array<{ node: { id: string, name: string, personal: boolean, viewerRole: TeamRole | null } }> } };

export type CreditBalanceQueryVariables = Exact<{
  teamId: string | number;
}>;


export type CreditBalanceQuery = { creditBalance: { available: number, debt: number } };

export type CreditBalanceChangedSubscriptionVariables = Exact<{
  teamId: string | number;
}>;


export type CreditBalanceChangedSubscription = { creditBalanceChanged: { available: number, debt: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($input: VerifyEmailInput!) {
  verifyEmail(input: $input) {
    id
    email
  }
}
    `) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ResendVerificationDocument = new TypedDocumentString(`
    mutation ResendVerification($input: ResendVerificationInput!) {
  resendVerification(input: $input)
}
    `) as unknown as TypedDocumentString<ResendVerificationMutation, ResendVerificationMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input)
}
    `) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($input: ResetPasswordInput!) {
  resetPassword(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const PolicyVersionDocument = new TypedDocumentString(`
    query PolicyVersion($kind: PolicyKind!) {
  policy(kind: $kind) {
    version
    title
  }
}
    `) as unknown as TypedDocumentString<PolicyVersionQuery, PolicyVersionQueryVariables>;
export const AcceptPolicyDocument = new TypedDocumentString(`
    mutation AcceptPolicy($input: AcceptPolicyInput!) {
  acceptPolicy(input: $input) {
    id
    mustAcceptPolicy
  }
}
    `) as unknown as TypedDocumentString<AcceptPolicyMutation, AcceptPolicyMutationVariables>;
export const ConsentStateDocument = new TypedDocumentString(`
    query ConsentState {
  consent {
    id
    categories
    policyVersion
  }
  policy(kind: COOKIES) {
    version
  }
}
    `) as unknown as TypedDocumentString<ConsentStateQuery, ConsentStateQueryVariables>;
export const RecordConsentDocument = new TypedDocumentString(`
    mutation RecordConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    id
    categories
    policyVersion
  }
}
    `) as unknown as TypedDocumentString<RecordConsentMutation, RecordConsentMutationVariables>;
export const PolicyDocument = new TypedDocumentString(`
    query Policy($kind: PolicyKind!) {
  policy(kind: $kind) {
    kind
    title
    version
    markdown
  }
}
    `) as unknown as TypedDocumentString<PolicyQuery, PolicyQueryVariables>;
export const PricesDocument = new TypedDocumentString(`
    query Prices {
  prices {
    preview
    full
    previewMaxMegapixels
  }
}
    `) as unknown as TypedDocumentString<PricesQuery, PricesQueryVariables>;
export const ModelsDocument = new TypedDocumentString(`
    query Models {
  models {
    id
    name
    isDefault
    available
    licence
  }
}
    `) as unknown as TypedDocumentString<ModelsQuery, ModelsQueryVariables>;
export const CreateUploadDocument = new TypedDocumentString(`
    mutation CreateUpload($input: CreateUploadInput!) {
  createUpload(input: $input) {
    id
    uploadUrl
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<CreateUploadMutation, CreateUploadMutationVariables>;
export const RemoveBackgroundDocument = new TypedDocumentString(`
    mutation RemoveBackground($input: RemoveBackgroundInput!) {
  removeBackground(input: $input) {
    id
    status
    stage
    progress
    resultUrl
    creditsCharged
    error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveBackgroundMutation, RemoveBackgroundMutationVariables>;
export const JobUpdatedDocument = new TypedDocumentString(`
    subscription JobUpdated($jobId: ID!) {
  jobUpdated(jobId: $jobId) {
    jobId
    status
    stage
    progress
    resultUrl
    error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<JobUpdatedSubscription, JobUpdatedSubscriptionVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    emailVerified
    isPlatformAdmin
    mustAcceptPolicy
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const TeamsDocument = new TypedDocumentString(`
    query Teams {
  teams(first: 100) {
    edges {
      node {
        id
        name
        personal
        viewerRole
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeamsQuery, TeamsQueryVariables>;
export const CreditBalanceDocument = new TypedDocumentString(`
    query CreditBalance($teamId: ID!) {
  creditBalance(teamId: $teamId) {
    available
    debt
  }
}
    `) as unknown as TypedDocumentString<CreditBalanceQuery, CreditBalanceQueryVariables>;
export const CreditBalanceChangedDocument = new TypedDocumentString(`
    subscription CreditBalanceChanged($teamId: ID!) {
  creditBalanceChanged(teamId: $teamId) {
    available
    debt
  }
}
    `) as unknown as TypedDocumentString<CreditBalanceChangedSubscription, CreditBalanceChangedSubscriptionVariables>;