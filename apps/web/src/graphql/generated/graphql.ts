/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptInvitationInput = {
  /** The `token` query parameter of the invitation link. */
  token: string;
};

export type AcceptPolicyInput = {
  /** The current version of the privacy policy (`policy(kind: PRIVACY) { version }`). */
  version: string;
};

export type AdjustCreditsInput = {
  /** Signed credits, a non-zero multiple of 0.25, at most 1 000 000 either way. */
  amount: number;
  /** Optional, unique per adjustment within the team (1–128 letters, digits or . _ : -): a retry with the same key returns the first adjustment’s entry and the current balance, applied once (its amount and reason are not compared with the first request’s). Without a key every request is a new adjustment. */
  idempotencyKey?: string | null | undefined;
  /** Why (1–500 characters); kept in the ledger. */
  reason: string;
  teamId: string | number;
};

export type ApproveDataRequestInput = {
  id: string | number;
};

/** What an audit entry records (the one list: audit-actions.ts). */
export type AuditAction =
  | 'API_KEY_CREATED'
  | 'API_KEY_REVOKED'
  | 'CONSENT_CHANGED'
  | 'CREDITS_ADJUSTED'
  | 'DATA_REQUEST_APPROVED'
  | 'DATA_REQUEST_CANCELED'
  | 'DATA_REQUEST_COMPLETED'
  | 'DATA_REQUEST_CREATED'
  | 'DATA_REQUEST_EXECUTING'
  | 'DATA_REQUEST_FAILED'
  | 'DATA_REQUEST_REJECTED'
  | 'DATA_REQUEST_WAITING'
  | 'LEGAL_HOLD_PLACED'
  | 'LEGAL_HOLD_RELEASED'
  | 'MEMBER_LEFT'
  | 'MEMBER_REMOVED'
  | 'MEMBER_ROLE_CHANGED'
  | 'OWNERSHIP_TRANSFERRED'
  | 'PLATFORM_ADMIN_GRANTED'
  | 'PLATFORM_ADMIN_REVOKED'
  | 'POLICY_ACCEPTED'
  | 'RETENTION_POLICY_CHANGED'
  | 'RETENTION_SWEEP';

/** Who acted: a person, a team’s API key, the platform itself (sweeper, worker) or an operator at the CLI. */
export type AuditActorKind =
  | 'API_KEY'
  | 'OPERATOR'
  | 'SYSTEM'
  | 'USER';

/** Every given field must match (AND); none given: every entry. */
export type AuditLogFilter = {
  action?: AuditAction | null | undefined;
  /** Entries where this user acted. */
  actorId?: string | number | null | undefined;
  /** Entries where the account with this email acted or is the subject (matched through the blind index; never stored). */
  email?: string | null | undefined;
  /** From this instant (inclusive). */
  from?: string | null | undefined;
  /** Entries in this team (also a team that no longer exists). */
  teamId?: string | number | null | undefined;
  /** Up to this instant (exclusive); not before `from`. */
  to?: string | null | undefined;
};

export type CancelAccountDeletionInput = {
  id: string | number;
};

export type CancelJobInput = {
  id: string | number;
};

export type ChangeMemberRoleInput = {
  role: TeamRole;
  teamId: string | number;
  userId: string | number;
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

export type CreateApiKeyInput = {
  /** 1–100 characters, e.g. "CI pipeline". */
  name: string;
  teamId: string | number;
};

export type CreateDataRequestInput = {
  /** The person’s email (matched through its blind index, never stored). */
  email: string;
  kind: DataRequestKind;
  /** How they asked (at most 1000 characters). */
  note?: string | null | undefined;
};

export type CreateTeamInput = {
  /** 1–100 characters. */
  name: string;
};

export type CreateUploadInput = {
  /** Exact size of the file in bytes (at most MAX_UPLOAD_BYTES). */
  byteSize: number;
  /** image/jpeg, image/png or image/webp. The bytes are checked, not this header. */
  contentType: string;
  /** Original file name, used for the result’s download name (at most 255 characters). */
  filename: string;
  teamId: string | number;
};

/** Why a team’s credits changed. */
export type CreditKind =
  | 'ADMIN_ADJUSTMENT'
  | 'JOB_CHARGE'
  | 'JOB_REFUND'
  | 'PAYMENT_REINSTATEMENT'
  | 'PAYMENT_REVERSAL'
  | 'PURCHASE'
  | 'TRIAL_GRANT';

/** EXPORT: an archive of everything held about the person; DELETION: erase it. */
export type DataRequestKind =
  | 'DELETION'
  | 'EXPORT';

/** SELF_SERVICE: the person asked in the app; ADMIN: opened by a platform admin. */
export type DataRequestOrigin =
  | 'ADMIN'
  | 'SELF_SERVICE';

/** PENDING → APPROVED → EXECUTING → COMPLETED, or REJECTED (by an admin, from PENDING), CANCELED (by the person, before execution), FAILED (every attempt failed; see errorCode). */
export type DataRequestStatus =
  | 'APPROVED'
  | 'CANCELED'
  | 'COMPLETED'
  | 'EXECUTING'
  | 'FAILED'
  | 'PENDING'
  | 'REJECTED';

export type InvitationStatus =
  | 'ACCEPTED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

export type InviteMemberInput = {
  email: string;
  /** ADMIN or MEMBER (ownership moves only by transferOwnership). */
  role: TeamRole;
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

export type LeaveTeamInput = {
  teamId: string | number;
};

export type LegalHoldSubjectInput = {
  /** The user’s or the team’s id; it must exist. */
  id: string | number;
  kind: LegalHoldSubjectKind;
};

/** What a legal hold is on: a user (and their personal team), or a team. */
export type LegalHoldSubjectKind =
  | 'TEAM'
  | 'USER';

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

export type PlaceLegalHoldInput = {
  /** The legal document it rests on, 1–200 characters (e.g. a case number). */
  reference: string;
  subject: LegalHoldSubjectInput;
};

/** PRIVACY: the privacy policy (accepted at sign-up); COOKIES: the cookie policy (consent is recorded against it). */
export type PolicyKind =
  | 'COOKIES'
  | 'PRIVACY';

export type PurchaseCreditsInput = {
  /** A pack id from `creditPacks`, e.g. `starter`. */
  packId: string | number;
  teamId: string | number;
};

/** PENDING → PAID, FAILED or EXPIRED (the checkout was abandoned or ran out of time: nothing charged; final); PAID → REFUNDED or DISPUTED (the credits taken back; any shortfall becomes debt; a dispute only once Stripe withdrew its money — an inquiry leaves the purchase PAID); DISPUTED → DISPUTE_WON (the dispute was won: the credits given back); DISPUTE_WON → REFUNDED. */
export type PurchaseStatus =
  | 'DISPUTED'
  | 'DISPUTE_WON'
  | 'EXPIRED'
  | 'FAILED'
  | 'PAID'
  | 'PENDING'
  | 'REFUNDED';

export type RecordConsentInput = {
  /** The categories agreed to; STRICTLY_NECESSARY is added when missing. [] declines all others. */
  categories: Array<ConsentCategory>;
  /** The current version of the cookie policy (`policy(kind: COOKIES) { version }`). */
  policyVersion: string;
  source: ConsentSource;
};

export type RejectDataRequestInput = {
  id: string | number;
  /** Why (1–500 characters); kept in the audit log. */
  reason: string;
};

export type ReleaseLegalHoldInput = {
  id: string | number;
  /** Why it is released, 1–500 characters. */
  reason: string;
};

/** STANDARD: one model pass. HIGH: a second model run on the horizontally flipped photo, merged with the first pixel by pixel (each pixel takes the more confident of the two predictions; about twice the model time); priced at twice STANDARD. */
export type RemovalMode =
  | 'HIGH'
  | 'STANDARD';

export type RemoveBackgroundInput = {
  /** File name of an inline image (for the download name). */
  filename?: string | null | undefined;
  /** Unique per request within the team (1–128 characters): a retry with the same key returns the same job, unchanged and not charged again (its image and options are not compared with the first request’s). */
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
  /** Clean edge colours: estimate the subject’s own colour in partly transparent pixels (no background fringe). Default true; cut-outs only (false with type MASK is BAD_USER_INPUT). */
  decontaminate?: boolean | null | undefined;
  /** Default PNG. JPG cutouts need an opaque bgColor. */
  format?: OutputFormat | null | undefined;
  /** Largest output size in megapixels; overrides `size`. */
  maxMegapixels?: number | null | undefined;
  /** Default STANDARD. HIGH costs twice the price (see `prices.highMultiplier`). */
  mode?: RemovalMode | null | undefined;
  /** Model id (see the inference service); default: the service’s default model. */
  model?: string | null | undefined;
  /** WEBP/JPG encoder quality 1–100 (not the removal’s: that is `mode`). */
  quality?: number | null | undefined;
  /** Refine edges (hair, fur) on the full-resolution photo. Default false. */
  refine?: boolean | null | undefined;
  /** Default FULL. */
  size?: OutputSize | null | undefined;
  /** Default CUTOUT. */
  type?: OutputType | null | undefined;
};

export type RemoveMemberInput = {
  teamId: string | number;
  userId: string | number;
};

export type RequestAccountDeletionInput = {
  /** The account’s password, to confirm. */
  password: string;
};

export type RequestPasswordResetInput = {
  email: string;
};

export type ResendVerificationInput = {
  email: string;
  /** Where the dashboard goes once the mailed verification link is followed and the person signs in: a path on this site ("/invitations/accept?token=…"), carried in the link as `next`. Anything else is BAD_USER_INPUT (field "next"). */
  next?: string | null | undefined;
};

export type ResetPasswordInput = {
  password: string;
  token: string;
};

export type RevokeApiKeyInput = {
  id: string | number;
};

export type RevokeInvitationInput = {
  invitationId: string | number;
};

export type SignInInput = {
  email: string;
  password: string;
};

export type SignUpInput = {
  /** The current privacy policy version the person agreed to (recorded with the account); another value is BAD_USER_INPUT. */
  acceptedPolicyVersion?: string | null | undefined;
  email: string;
  /** Where the dashboard goes once the mailed verification link is followed and the person signs in: a path on this site ("/invitations/accept?token=…"), carried in the link as `next`. Anything else is BAD_USER_INPUT (field "next"). */
  next?: string | null | undefined;
  /** At least 10 characters, not a common password. */
  password: string;
};

/** A member’s role in a team (see the permission matrix). */
export type TeamRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type TransferOwnershipInput = {
  teamId: string | number;
  /** A current member who becomes an owner; the caller becomes an admin. */
  userId: string | number;
};

/** Every value within RetentionPolicy.minimums and maximums, and resultsHours ≤ jobRecordsDays × 24. */
export type UpdateRetentionPolicyInput = {
  jobRecordsDays: number;
  resultsHours: number;
  teamId: string | number;
  uploadsHours: number;
};

export type VerifyEmailInput = {
  /** The password the account was created with: a click by someone who did not sign up confirms nothing. */
  password: string;
  /** The `token` query parameter of the mailed link. */
  token: string;
};

export type AdminDataRequestsQueryVariables = Exact<{
  status?: DataRequestStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminDataRequestsQuery = { dataRequests: { edges: Array<{ node: { id: string, kind: DataRequestKind, status: DataRequestStatus, origin: DataRequestOrigin, createdAt: string, dueAt: string, overdue: boolean } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AdminDataRequestQueryVariables = Exact<{
  id: string | number;
}>;


export type AdminDataRequestQuery = { dataRequest: { id: string, kind: DataRequestKind, status: DataRequestStatus, origin: DataRequestOrigin, note: string | null, createdAt: string, dueAt: string, overdue: boolean, approvedAt: string | null, startedAt: string | null, completedAt: string | null, rejectedAt: string | null, rejectionReason: string | null, canceledAt: string | null, executeAfter: string | null, errorCode: string | null, progress: number, step: string | null, subjectUserId: string | null, waitingReason: { reason: string, reference: string | null, holdId: string | null } | null, receipt: { startedAt: string, completedAt: string, items: Array<{ name: string, count: number }> } | null } };

export type AdminCreateDataRequestMutationVariables = Exact<{
  input: CreateDataRequestInput;
}>;


export type AdminCreateDataRequestMutation = { createDataRequest: { id: string, status: DataRequestStatus } };

export type AdminApproveDataRequestMutationVariables = Exact<{
  input: ApproveDataRequestInput;
}>;


export type AdminApproveDataRequestMutation = { approveDataRequest: { id: string, status: DataRequestStatus } };

export type AdminRejectDataRequestMutationVariables = Exact<{
  input: RejectDataRequestInput;
}>;


export type AdminRejectDataRequestMutation = { rejectDataRequest: { id: string, status: DataRequestStatus } };

export type AdminLegalHoldFragment = { id: string, active: boolean, subjectKind: LegalHoldSubjectKind, subjectId: string, reference: string, placedAt: string, placedByUserId: string | null, releasedAt: string | null, releaseReason: string | null };

export type AdminLegalHoldsQueryVariables = Exact<{
  activeOnly?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminLegalHoldsQuery = { legalHolds: { edges: Array<{ node: { id: string, active: boolean, subjectKind: LegalHoldSubjectKind, subjectId: string, reference: string, placedAt: string, placedByUserId: string | null, releasedAt: string | null, releaseReason: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AdminPlaceLegalHoldMutationVariables = Exact<{
  input: PlaceLegalHoldInput;
}>;


export type AdminPlaceLegalHoldMutation = { placeLegalHold: { id: string, active: boolean, subjectKind: LegalHoldSubjectKind, subjectId: string, reference: string, placedAt: string, placedByUserId: string | null, releasedAt: string | null, releaseReason: string | null } };

export type AdminReleaseLegalHoldMutationVariables = Exact<{
  input: ReleaseLegalHoldInput;
}>;


export type AdminReleaseLegalHoldMutation = { releaseLegalHold: { id: string, active: boolean, subjectKind: LegalHoldSubjectKind, subjectId: string, reference: string, placedAt: string, placedByUserId: string | null, releasedAt: string | null, releaseReason: string | null } };

export type AdminAuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminAuditLogQuery = { platformAuditLog: { edges: Array<{ node: { id: string, action: AuditAction, actorKind: AuditActorKind, actorUserId: string | null, subjectUserId: string | null, targetId: string | null, teamId: string | null, reason: string | null, details: unknown, occurredAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AdminAdjustCreditsMutationVariables = Exact<{
  input: AdjustCreditsInput;
}>;


export type AdminAdjustCreditsMutation = { adjustCredits: { balance: { available: number, debt: number }, entry: { id: string, amount: number, reason: string | null } } };

export type AdminLedgerHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminLedgerHealthQuery = { ledgerHealth: Array<{ teamId: string, balance: number, ledgerSum: number }> };

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

export type CreditPacksQueryVariables = Exact<{ [key: string]: never; }>;


export type CreditPacksQuery = { billingConfigured: boolean, creditPacks: Array<{ id: string, name: string, credits: number, amount: number, currency: string }> };

export type PurchaseCreditsMutationVariables = Exact<{
  input: PurchaseCreditsInput;
}>;


export type PurchaseCreditsMutation = { purchaseCredits: { id: string, url: string } };

export type PurchasesQueryVariables = Exact<{
  teamId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PurchasesQuery = { purchases: { edges: Array<{ node: { id: string, createdAt: string, pack: string, credits: number, amount: number, currency: string, status: PurchaseStatus, receiptUrl: string | null } }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type CreditLedgerQueryVariables = Exact<{
  teamId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CreditLedgerQuery = { creditLedger: { edges: Array<{ node: { id: string, createdAt: string, kind: CreditKind, amount: number, reference: string, reason: string | null } }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type UsageQueryVariables = Exact<{
  teamId: string | number;
  from: string;
  to: string;
}>;


export type UsageQuery = { usage: Array<{ day: string, jobs: number, credits: number }> };

export type HistoryJobsQueryVariables = Exact<{
  teamId: string | number;
  status?: JobStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HistoryJobsQuery = { jobs: { edges: Array<{ node: { id: string, filename: string, status: JobStatus, stage: JobStage, progress: number, createdAt: string, finishedAt: string | null, creditsCharged: number, creditsRefunded: number, inputUrl: string | null, resultUrl: string | null, thumbnailUrl: string | null, resultExpiresAt: string | null, resultExpired: boolean, error: { code: string, message: string } | null, options: { size: string, type: OutputType, format: OutputFormat, mode: RemovalMode, bgColor: string | null, crop: boolean, refine: boolean, decontaminate: boolean } } }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type HistoryJobFragment = { id: string, filename: string, status: JobStatus, stage: JobStage, progress: number, createdAt: string, finishedAt: string | null, creditsCharged: number, creditsRefunded: number, inputUrl: string | null, resultUrl: string | null, thumbnailUrl: string | null, resultExpiresAt: string | null, resultExpired: boolean, error: { code: string, message: string } | null, options: { size: string, type: OutputType, format: OutputFormat, mode: RemovalMode, bgColor: string | null, crop: boolean, refine: boolean, decontaminate: boolean } };

export type HistoryJobQueryVariables = Exact<{
  id: string | number;
}>;


export type HistoryJobQuery = { job: { id: string, filename: string, status: JobStatus, stage: JobStage, progress: number, createdAt: string, finishedAt: string | null, creditsCharged: number, creditsRefunded: number, inputUrl: string | null, resultUrl: string | null, thumbnailUrl: string | null, resultExpiresAt: string | null, resultExpired: boolean, error: { code: string, message: string } | null, options: { size: string, type: OutputType, format: OutputFormat, mode: RemovalMode, bgColor: string | null, crop: boolean, refine: boolean, decontaminate: boolean } } };

export type TeamJobsSubscriptionVariables = Exact<{
  teamId: string | number;
}>;


export type TeamJobsSubscription = { teamJobs: { jobId: string, teamId: string, status: JobStatus, stage: JobStage, progress: number, resultUrl: string | null, error: { code: string, message: string } | null } };

export type CancelHistoryJobMutationVariables = Exact<{
  input: CancelJobInput;
}>;


export type CancelHistoryJobMutation = { cancelJob: { id: string, filename: string, status: JobStatus, stage: JobStage, progress: number, createdAt: string, finishedAt: string | null, creditsCharged: number, creditsRefunded: number, inputUrl: string | null, resultUrl: string | null, thumbnailUrl: string | null, resultExpiresAt: string | null, resultExpired: boolean, error: { code: string, message: string } | null, options: { size: string, type: OutputType, format: OutputFormat, mode: RemovalMode, bgColor: string | null, crop: boolean, refine: boolean, decontaminate: boolean } } };

export type PolicyQueryVariables = Exact<{
  kind: PolicyKind;
}>;


export type PolicyQuery = { policy: { kind: PolicyKind, title: string, version: string, markdown: string } };

export type RetentionPolicyQueryVariables = Exact<{
  teamId: string | number;
}>;


export type RetentionPolicyQuery = { retentionPolicy: { teamId: string, isDefault: boolean, updatedAt: string | null, uploadsHours: number, resultsHours: number, jobRecordsDays: number, minimums: { uploadsHours: number, resultsHours: number, jobRecordsDays: number }, maximums: { uploadsHours: number, resultsHours: number, jobRecordsDays: number }, defaults: { uploadsHours: number, resultsHours: number, jobRecordsDays: number } } };

export type UpdateRetentionPolicyMutationVariables = Exact<{
  input: UpdateRetentionPolicyInput;
}>;


export type UpdateRetentionPolicyMutation = { updateRetentionPolicy: { teamId: string, isDefault: boolean, updatedAt: string | null, uploadsHours: number, resultsHours: number, jobRecordsDays: number } };

export type ConsentSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsentSettingsQuery = { consent: { id: string, categories: Array<ConsentCategory>, policyVersion: string, recordedAt: string, source: ConsentSource } | null, policy: { version: string }, consentHistory: { edges: Array<{ node: { id: string, categories: Array<ConsentCategory>, policyVersion: string, recordedAt: string, source: ConsentSource } }> } };

export type MyDataRequestsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyDataRequestsQuery = { myDataRequests: { edges: Array<{ node: { id: string, kind: DataRequestKind, status: DataRequestStatus, createdAt: string, completedAt: string | null, executeAfter: string | null, exportExpiresAt: string | null, downloadUrl: string | null, errorCode: string | null, rejectionReason: string | null, progress: number } }> } };

export type RequestDataExportMutationVariables = Exact<{ [key: string]: never; }>;


export type RequestDataExportMutation = { requestDataExport: { id: string, status: DataRequestStatus } };

export type RequestAccountDeletionMutationVariables = Exact<{
  input: RequestAccountDeletionInput;
}>;


export type RequestAccountDeletionMutation = { requestAccountDeletion: { id: string, status: DataRequestStatus, executeAfter: string | null } };

export type CancelAccountDeletionMutationVariables = Exact<{
  input: CancelAccountDeletionInput;
}>;


export type CancelAccountDeletionMutation = { cancelAccountDeletion: { id: string, status: DataRequestStatus } };

export type PricesQueryVariables = Exact<{ [key: string]: never; }>;


export type PricesQuery = { prices: { preview: number, full: number, previewMaxMegapixels: number, highMultiplier: number } };

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

export type JobProgressQueryVariables = Exact<{
  id: string | number;
}>;


export type JobProgressQuery = { job: { id: string, status: JobStatus, stage: JobStage, progress: number, resultUrl: string | null, error: { code: string, message: string } | null } };

export type CancelJobMutationVariables = Exact<{
  input: CancelJobInput;
}>;


export type CancelJobMutation = { cancelJob: { id: string, status: JobStatus, stage: JobStage, progress: number, resultUrl: string | null, error: { code: string, message: string } | null } };

export type ResultUrlQueryVariables = Exact<{
  id: string | number;
}>;


export type ResultUrlQuery = { job: { id: string, status: JobStatus, resultUrl: string | null, resultExpired: boolean } };

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

export type TeamDetailsQueryVariables = Exact<{
  teamId: string | number;
}>;


export type TeamDetailsQuery = { team: { id: string, name: string, personal: boolean, viewerRole: TeamRole | null, members: { edges: Array<{ node: { userId: string, email: string, role: TeamRole, joinedAt: string } }> } } };

export type TeamInvitationsQueryVariables = Exact<{
  teamId: string | number;
}>;


export type TeamInvitationsQuery = { invitations: { edges: Array<{ node: { id: string, email: string, role: TeamRole, status: InvitationStatus, expiresAt: string } }> } };

export type TeamApiKeysQueryVariables = Exact<{
  teamId: string | number;
}>;


export type TeamApiKeysQuery = { apiKeys: { edges: Array<{ node: { id: string, name: string, prefix: string, createdAt: string, lastUsedAt: string | null } }> } };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember: { id: string, email: string, status: InvitationStatus } };

export type RevokeInvitationMutationVariables = Exact<{
  input: RevokeInvitationInput;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { id: string, status: InvitationStatus } };

export type ChangeMemberRoleMutationVariables = Exact<{
  input: ChangeMemberRoleInput;
}>;


export type ChangeMemberRoleMutation = { changeMemberRole: { userId: string, role: TeamRole } };

export type RemoveMemberMutationVariables = Exact<{
  input: RemoveMemberInput;
}>;


export type RemoveMemberMutation = { removeMember: { id: string } };

export type LeaveTeamMutationVariables = Exact<{
  input: LeaveTeamInput;
}>;


export type LeaveTeamMutation = { leaveTeam: boolean };

export type TransferOwnershipMutationVariables = Exact<{
  input: TransferOwnershipInput;
}>;


export type TransferOwnershipMutation = { transferOwnership: { id: string } };

export type CreateTeamMutationVariables = Exact<{
  input: CreateTeamInput;
}>;


export type CreateTeamMutation = { createTeam: { id: string, name: string } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, prefix: string } } };

export type RevokeApiKeyMutationVariables = Exact<{
  input: RevokeApiKeyInput;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { id: string, name: string } };

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
export const AdminLegalHoldFragmentDoc = new TypedDocumentString(`
    fragment AdminLegalHold on LegalHold {
  id
  active
  subjectKind
  subjectId
  reference
  placedAt
  placedByUserId
  releasedAt
  releaseReason
}
    `, {"fragmentName":"AdminLegalHold"}) as unknown as TypedDocumentString<AdminLegalHoldFragment, unknown>;
export const HistoryJobFragmentDoc = new TypedDocumentString(`
    fragment HistoryJob on Job {
  id
  filename
  status
  stage
  progress
  createdAt
  finishedAt
  creditsCharged
  creditsRefunded
  inputUrl
  resultUrl
  thumbnailUrl
  resultExpiresAt
  resultExpired
  error {
    code
    message
  }
  options {
    size
    type
    format
    mode
    bgColor
    crop
    refine
    decontaminate
  }
}
    `, {"fragmentName":"HistoryJob"}) as unknown as TypedDocumentString<HistoryJobFragment, unknown>;
export const AdminDataRequestsDocument = new TypedDocumentString(`
    query AdminDataRequests($status: DataRequestStatus, $first: Int, $after: String) {
  dataRequests(status: $status, first: $first, after: $after) {
    edges {
      node {
        id
        kind
        status
        origin
        createdAt
        dueAt
        overdue
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AdminDataRequestsQuery, AdminDataRequestsQueryVariables>;
export const AdminDataRequestDocument = new TypedDocumentString(`
    query AdminDataRequest($id: ID!) {
  dataRequest(id: $id) {
    id
    kind
    status
    origin
    note
    createdAt
    dueAt
    overdue
    approvedAt
    startedAt
    completedAt
    rejectedAt
    rejectionReason
    canceledAt
    executeAfter
    errorCode
    progress
    step
    subjectUserId
    waitingReason {
      reason
      reference
      holdId
    }
    receipt {
      startedAt
      completedAt
      items {
        name
        count
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminDataRequestQuery, AdminDataRequestQueryVariables>;
export const AdminCreateDataRequestDocument = new TypedDocumentString(`
    mutation AdminCreateDataRequest($input: CreateDataRequestInput!) {
  createDataRequest(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AdminCreateDataRequestMutation, AdminCreateDataRequestMutationVariables>;
export const AdminApproveDataRequestDocument = new TypedDocumentString(`
    mutation AdminApproveDataRequest($input: ApproveDataRequestInput!) {
  approveDataRequest(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AdminApproveDataRequestMutation, AdminApproveDataRequestMutationVariables>;
export const AdminRejectDataRequestDocument = new TypedDocumentString(`
    mutation AdminRejectDataRequest($input: RejectDataRequestInput!) {
  rejectDataRequest(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AdminRejectDataRequestMutation, AdminRejectDataRequestMutationVariables>;
export const AdminLegalHoldsDocument = new TypedDocumentString(`
    query AdminLegalHolds($activeOnly: Boolean, $first: Int, $after: String) {
  legalHolds(activeOnly: $activeOnly, first: $first, after: $after) {
    edges {
      node {
        ...AdminLegalHold
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AdminLegalHold on LegalHold {
  id
  active
  subjectKind
  subjectId
  reference
  placedAt
  placedByUserId
  releasedAt
  releaseReason
}`) as unknown as TypedDocumentString<AdminLegalHoldsQuery, AdminLegalHoldsQueryVariables>;
export const AdminPlaceLegalHoldDocument = new TypedDocumentString(`
    mutation AdminPlaceLegalHold($input: PlaceLegalHoldInput!) {
  placeLegalHold(input: $input) {
    ...AdminLegalHold
  }
}
    fragment AdminLegalHold on LegalHold {
  id
  active
  subjectKind
  subjectId
  reference
  placedAt
  placedByUserId
  releasedAt
  releaseReason
}`) as unknown as TypedDocumentString<AdminPlaceLegalHoldMutation, AdminPlaceLegalHoldMutationVariables>;
export const AdminReleaseLegalHoldDocument = new TypedDocumentString(`
    mutation AdminReleaseLegalHold($input: ReleaseLegalHoldInput!) {
  releaseLegalHold(input: $input) {
    ...AdminLegalHold
  }
}
    fragment AdminLegalHold on LegalHold {
  id
  active
  subjectKind
  subjectId
  reference
  placedAt
  placedByUserId
  releasedAt
  releaseReason
}`) as unknown as TypedDocumentString<AdminReleaseLegalHoldMutation, AdminReleaseLegalHoldMutationVariables>;
export const AdminAuditLogDocument = new TypedDocumentString(`
    query AdminAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
  platformAuditLog(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        id
        action
        actorKind
        actorUserId
        subjectUserId
        targetId
        teamId
        reason
        details
        occurredAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AdminAuditLogQuery, AdminAuditLogQueryVariables>;
export const AdminAdjustCreditsDocument = new TypedDocumentString(`
    mutation AdminAdjustCredits($input: AdjustCreditsInput!) {
  adjustCredits(input: $input) {
    balance {
      available
      debt
    }
    entry {
      id
      amount
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<AdminAdjustCreditsMutation, AdminAdjustCreditsMutationVariables>;
export const AdminLedgerHealthDocument = new TypedDocumentString(`
    query AdminLedgerHealth {
  ledgerHealth {
    teamId
    balance
    ledgerSum
  }
}
    `) as unknown as TypedDocumentString<AdminLedgerHealthQuery, AdminLedgerHealthQueryVariables>;
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
export const CreditPacksDocument = new TypedDocumentString(`
    query CreditPacks {
  billingConfigured
  creditPacks {
    id
    name
    credits
    amount
    currency
  }
}
    `) as unknown as TypedDocumentString<CreditPacksQuery, CreditPacksQueryVariables>;
export const PurchaseCreditsDocument = new TypedDocumentString(`
    mutation PurchaseCredits($input: PurchaseCreditsInput!) {
  purchaseCredits(input: $input) {
    id
    url
  }
}
    `) as unknown as TypedDocumentString<PurchaseCreditsMutation, PurchaseCreditsMutationVariables>;
export const PurchasesDocument = new TypedDocumentString(`
    query Purchases($teamId: ID!, $first: Int, $after: String) {
  purchases(teamId: $teamId, first: $first, after: $after) {
    edges {
      node {
        id
        createdAt
        pack
        credits
        amount
        currency
        status
        receiptUrl
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<PurchasesQuery, PurchasesQueryVariables>;
export const CreditLedgerDocument = new TypedDocumentString(`
    query CreditLedger($teamId: ID!, $first: Int, $after: String) {
  creditLedger(teamId: $teamId, first: $first, after: $after) {
    edges {
      node {
        id
        createdAt
        kind
        amount
        reference
        reason
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<CreditLedgerQuery, CreditLedgerQueryVariables>;
export const UsageDocument = new TypedDocumentString(`
    query Usage($teamId: ID!, $from: DateTime!, $to: DateTime!) {
  usage(teamId: $teamId, from: $from, to: $to) {
    day
    jobs
    credits
  }
}
    `) as unknown as TypedDocumentString<UsageQuery, UsageQueryVariables>;
export const HistoryJobsDocument = new TypedDocumentString(`
    query HistoryJobs($teamId: ID!, $status: JobStatus, $first: Int, $after: String) {
  jobs(teamId: $teamId, status: $status, first: $first, after: $after) {
    edges {
      node {
        ...HistoryJob
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment HistoryJob on Job {
  id
  filename
  status
  stage
  progress
  createdAt
  finishedAt
  creditsCharged
  creditsRefunded
  inputUrl
  resultUrl
  thumbnailUrl
  resultExpiresAt
  resultExpired
  error {
    code
    message
  }
  options {
    size
    type
    format
    mode
    bgColor
    crop
    refine
    decontaminate
  }
}`) as unknown as TypedDocumentString<HistoryJobsQuery, HistoryJobsQueryVariables>;
export const HistoryJobDocument = new TypedDocumentString(`
    query HistoryJob($id: ID!) {
  job(id: $id) {
    ...HistoryJob
  }
}
    fragment HistoryJob on Job {
  id
  filename
  status
  stage
  progress
  createdAt
  finishedAt
  creditsCharged
  creditsRefunded
  inputUrl
  resultUrl
  thumbnailUrl
  resultExpiresAt
  resultExpired
  error {
    code
    message
  }
  options {
    size
    type
    format
    mode
    bgColor
    crop
    refine
    decontaminate
  }
}`) as unknown as TypedDocumentString<HistoryJobQuery, HistoryJobQueryVariables>;
export const TeamJobsDocument = new TypedDocumentString(`
    subscription TeamJobs($teamId: ID!) {
  teamJobs(teamId: $teamId) {
    jobId
    teamId
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
    `) as unknown as TypedDocumentString<TeamJobsSubscription, TeamJobsSubscriptionVariables>;
export const CancelHistoryJobDocument = new TypedDocumentString(`
    mutation CancelHistoryJob($input: CancelJobInput!) {
  cancelJob(input: $input) {
    ...HistoryJob
  }
}
    fragment HistoryJob on Job {
  id
  filename
  status
  stage
  progress
  createdAt
  finishedAt
  creditsCharged
  creditsRefunded
  inputUrl
  resultUrl
  thumbnailUrl
  resultExpiresAt
  resultExpired
  error {
    code
    message
  }
  options {
    size
    type
    format
    mode
    bgColor
    crop
    refine
    decontaminate
  }
}`) as unknown as TypedDocumentString<CancelHistoryJobMutation, CancelHistoryJobMutationVariables>;
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
export const RetentionPolicyDocument = new TypedDocumentString(`
    query RetentionPolicy($teamId: ID!) {
  retentionPolicy(teamId: $teamId) {
    teamId
    isDefault
    updatedAt
    uploadsHours
    resultsHours
    jobRecordsDays
    minimums {
      uploadsHours
      resultsHours
      jobRecordsDays
    }
    maximums {
      uploadsHours
      resultsHours
      jobRecordsDays
    }
    defaults {
      uploadsHours
      resultsHours
      jobRecordsDays
    }
  }
}
    `) as unknown as TypedDocumentString<RetentionPolicyQuery, RetentionPolicyQueryVariables>;
export const UpdateRetentionPolicyDocument = new TypedDocumentString(`
    mutation UpdateRetentionPolicy($input: UpdateRetentionPolicyInput!) {
  updateRetentionPolicy(input: $input) {
    teamId
    isDefault
    updatedAt
    uploadsHours
    resultsHours
    jobRecordsDays
  }
}
    `) as unknown as TypedDocumentString<UpdateRetentionPolicyMutation, UpdateRetentionPolicyMutationVariables>;
export const ConsentSettingsDocument = new TypedDocumentString(`
    query ConsentSettings {
  consent {
    id
    categories
    policyVersion
    recordedAt
    source
  }
  policy(kind: COOKIES) {
    version
  }
  consentHistory(first: 100, newestFirst: true) {
    edges {
      node {
        id
        categories
        policyVersion
        recordedAt
        source
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsentSettingsQuery, ConsentSettingsQueryVariables>;
export const MyDataRequestsDocument = new TypedDocumentString(`
    query MyDataRequests {
  myDataRequests(first: 50) {
    edges {
      node {
        id
        kind
        status
        createdAt
        completedAt
        executeAfter
        exportExpiresAt
        downloadUrl
        errorCode
        rejectionReason
        progress
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyDataRequestsQuery, MyDataRequestsQueryVariables>;
export const RequestDataExportDocument = new TypedDocumentString(`
    mutation RequestDataExport {
  requestDataExport {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RequestDataExportMutation, RequestDataExportMutationVariables>;
export const RequestAccountDeletionDocument = new TypedDocumentString(`
    mutation RequestAccountDeletion($input: RequestAccountDeletionInput!) {
  requestAccountDeletion(input: $input) {
    id
    status
    executeAfter
  }
}
    `) as unknown as TypedDocumentString<RequestAccountDeletionMutation, RequestAccountDeletionMutationVariables>;
export const CancelAccountDeletionDocument = new TypedDocumentString(`
    mutation CancelAccountDeletion($input: CancelAccountDeletionInput!) {
  cancelAccountDeletion(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelAccountDeletionMutation, CancelAccountDeletionMutationVariables>;
export const PricesDocument = new TypedDocumentString(`
    query Prices {
  prices {
    preview
    full
    previewMaxMegapixels
    highMultiplier
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
export const JobProgressDocument = new TypedDocumentString(`
    query JobProgress($id: ID!) {
  job(id: $id) {
    id
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
    `) as unknown as TypedDocumentString<JobProgressQuery, JobProgressQueryVariables>;
export const CancelJobDocument = new TypedDocumentString(`
    mutation CancelJob($input: CancelJobInput!) {
  cancelJob(input: $input) {
    id
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
    `) as unknown as TypedDocumentString<CancelJobMutation, CancelJobMutationVariables>;
export const ResultUrlDocument = new TypedDocumentString(`
    query ResultUrl($id: ID!) {
  job(id: $id) {
    id
    status
    resultUrl
    resultExpired
  }
}
    `) as unknown as TypedDocumentString<ResultUrlQuery, ResultUrlQueryVariables>;
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
export const TeamDetailsDocument = new TypedDocumentString(`
    query TeamDetails($teamId: ID!) {
  team(id: $teamId) {
    id
    name
    personal
    viewerRole
    members(first: 100) {
      edges {
        node {
          userId
          email
          role
          joinedAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeamDetailsQuery, TeamDetailsQueryVariables>;
export const TeamInvitationsDocument = new TypedDocumentString(`
    query TeamInvitations($teamId: ID!) {
  invitations(teamId: $teamId, first: 100) {
    edges {
      node {
        id
        email
        role
        status
        expiresAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeamInvitationsQuery, TeamInvitationsQueryVariables>;
export const TeamApiKeysDocument = new TypedDocumentString(`
    query TeamApiKeys($teamId: ID!) {
  apiKeys(teamId: $teamId, first: 100) {
    edges {
      node {
        id
        name
        prefix
        createdAt
        lastUsedAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeamApiKeysQuery, TeamApiKeysQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    id
    email
    status
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($input: RevokeInvitationInput!) {
  revokeInvitation(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const ChangeMemberRoleDocument = new TypedDocumentString(`
    mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) {
    userId
    role
  }
}
    `) as unknown as TypedDocumentString<ChangeMemberRoleMutation, ChangeMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($input: RemoveMemberInput!) {
  removeMember(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const LeaveTeamDocument = new TypedDocumentString(`
    mutation LeaveTeam($input: LeaveTeamInput!) {
  leaveTeam(input: $input)
}
    `) as unknown as TypedDocumentString<LeaveTeamMutation, LeaveTeamMutationVariables>;
export const TransferOwnershipDocument = new TypedDocumentString(`
    mutation TransferOwnership($input: TransferOwnershipInput!) {
  transferOwnership(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<TransferOwnershipMutation, TransferOwnershipMutationVariables>;
export const CreateTeamDocument = new TypedDocumentString(`
    mutation CreateTeam($input: CreateTeamInput!) {
  createTeam(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateTeamMutation, CreateTeamMutationVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
      prefix
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($input: RevokeApiKeyInput!) {
  revokeApiKey(input: $input) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;