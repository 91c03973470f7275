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
    "\n  query AdminDataRequests($status: DataRequestStatus, $first: Int, $after: String) {\n    dataRequests(status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          kind\n          status\n          origin\n          createdAt\n          dueAt\n          overdue\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminDataRequestsDocument,
    "\n  query AdminDataRequest($id: ID!) {\n    dataRequest(id: $id) {\n      id\n      kind\n      status\n      origin\n      note\n      createdAt\n      dueAt\n      overdue\n      approvedAt\n      startedAt\n      completedAt\n      rejectedAt\n      rejectionReason\n      canceledAt\n      executeAfter\n      errorCode\n      progress\n      step\n      subjectUserId\n      waitingReason {\n        reason\n        reference\n        holdId\n      }\n      receipt {\n        startedAt\n        completedAt\n        items {\n          name\n          count\n        }\n      }\n    }\n  }\n": typeof types.AdminDataRequestDocument,
    "\n  mutation AdminCreateDataRequest($input: CreateDataRequestInput!) {\n    createDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.AdminCreateDataRequestDocument,
    "\n  mutation AdminApproveDataRequest($input: ApproveDataRequestInput!) {\n    approveDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.AdminApproveDataRequestDocument,
    "\n  mutation AdminRejectDataRequest($input: RejectDataRequestInput!) {\n    rejectDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.AdminRejectDataRequestDocument,
    "\n  fragment AdminLegalHold on LegalHold {\n    id\n    active\n    subjectKind\n    subjectId\n    reference\n    placedAt\n    placedByUserId\n    releasedAt\n    releaseReason\n  }\n": typeof types.AdminLegalHoldFragmentDoc,
    "\n  query AdminLegalHolds($activeOnly: Boolean, $first: Int, $after: String) {\n    legalHolds(activeOnly: $activeOnly, first: $first, after: $after) {\n      edges {\n        node {\n          ...AdminLegalHold\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminLegalHoldsDocument,
    "\n  mutation AdminPlaceLegalHold($input: PlaceLegalHoldInput!) {\n    placeLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n": typeof types.AdminPlaceLegalHoldDocument,
    "\n  mutation AdminReleaseLegalHold($input: ReleaseLegalHoldInput!) {\n    releaseLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n": typeof types.AdminReleaseLegalHoldDocument,
    "\n  query AdminAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {\n    platformAuditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorKind\n          actorUserId\n          subjectUserId\n          targetId\n          teamId\n          reason\n          details\n          occurredAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminAuditLogDocument,
    "\n  mutation AdminAdjustCredits($input: AdjustCreditsInput!) {\n    adjustCredits(input: $input) {\n      balance {\n        available\n        debt\n      }\n      entry {\n        id\n        amount\n        reason\n      }\n    }\n  }\n": typeof types.AdminAdjustCreditsDocument,
    "\n  query AdminLedgerHealth {\n    ledgerHealth {\n      teamId\n      balance\n      ledgerSum\n    }\n  }\n": typeof types.AdminLedgerHealthDocument,
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
    "\n  query CreditPacks {\n    billingConfigured\n    creditPacks {\n      id\n      name\n      credits\n      amount\n      currency\n    }\n  }\n": typeof types.CreditPacksDocument,
    "\n  mutation PurchaseCredits($input: PurchaseCreditsInput!) {\n    purchaseCredits(input: $input) {\n      id\n      url\n    }\n  }\n": typeof types.PurchaseCreditsDocument,
    "\n  query Purchases($teamId: ID!, $first: Int, $after: String) {\n    purchases(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          pack\n          credits\n          amount\n          currency\n          status\n          receiptUrl\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.PurchasesDocument,
    "\n  query CreditLedger($teamId: ID!, $first: Int, $after: String) {\n    creditLedger(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          kind\n          amount\n          reference\n          reason\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.CreditLedgerDocument,
    "\n  query Usage($teamId: ID!, $from: DateTime!, $to: DateTime!) {\n    usage(teamId: $teamId, from: $from, to: $to) {\n      day\n      jobs\n      credits\n    }\n  }\n": typeof types.UsageDocument,
    "\n  query HistoryJobs($teamId: ID!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(teamId: $teamId, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...HistoryJob\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.HistoryJobsDocument,
    "\n  fragment HistoryJob on Job {\n    id\n    filename\n    status\n    stage\n    progress\n    createdAt\n    finishedAt\n    creditsCharged\n    creditsRefunded\n    inputUrl\n    resultUrl\n    thumbnailUrl\n    resultExpiresAt\n    resultExpired\n    error {\n      code\n      message\n    }\n    options {\n      size\n      type\n      format\n      mode\n      bgColor\n      crop\n      refine\n      decontaminate\n    }\n  }\n": typeof types.HistoryJobFragmentDoc,
    "\n  query HistoryJob($id: ID!) {\n    job(id: $id) {\n      ...HistoryJob\n    }\n  }\n": typeof types.HistoryJobDocument,
    "\n  subscription TeamJobs($teamId: ID!) {\n    teamJobs(teamId: $teamId) {\n      jobId\n      teamId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.TeamJobsDocument,
    "\n  mutation CancelHistoryJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      ...HistoryJob\n    }\n  }\n": typeof types.CancelHistoryJobDocument,
    "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n": typeof types.PolicyDocument,
    "\n  query RetentionPolicy($teamId: ID!) {\n    retentionPolicy(teamId: $teamId) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n      minimums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      maximums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      defaults {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n    }\n  }\n": typeof types.RetentionPolicyDocument,
    "\n  mutation UpdateRetentionPolicy($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n    }\n  }\n": typeof types.UpdateRetentionPolicyDocument,
    "\n  query ConsentSettings {\n    consent {\n      id\n      categories\n      policyVersion\n      recordedAt\n      source\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n    consentHistory(first: 100, newestFirst: true) {\n      edges {\n        node {\n          id\n          categories\n          policyVersion\n          recordedAt\n          source\n        }\n      }\n    }\n  }\n": typeof types.ConsentSettingsDocument,
    "\n  query MyDataRequests {\n    myDataRequests(first: 50) {\n      edges {\n        node {\n          id\n          kind\n          status\n          createdAt\n          completedAt\n          executeAfter\n          exportExpiresAt\n          downloadUrl\n          errorCode\n          rejectionReason\n          progress\n        }\n      }\n    }\n  }\n": typeof types.MyDataRequestsDocument,
    "\n  mutation RequestDataExport {\n    requestDataExport {\n      id\n      status\n    }\n  }\n": typeof types.RequestDataExportDocument,
    "\n  mutation RequestAccountDeletion($input: RequestAccountDeletionInput!) {\n    requestAccountDeletion(input: $input) {\n      id\n      status\n      executeAfter\n    }\n  }\n": typeof types.RequestAccountDeletionDocument,
    "\n  mutation CancelAccountDeletion($input: CancelAccountDeletionInput!) {\n    cancelAccountDeletion(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.CancelAccountDeletionDocument,
    "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n      highMultiplier\n    }\n  }\n": typeof types.PricesDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      isDefault\n      available\n      licence\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      id\n      uploadUrl\n      expiresAt\n    }\n  }\n": typeof types.CreateUploadDocument,
    "\n  mutation RemoveBackground($input: RemoveBackgroundInput!) {\n    removeBackground(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      creditsCharged\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RemoveBackgroundDocument,
    "\n  subscription JobUpdated($jobId: ID!) {\n    jobUpdated(jobId: $jobId) {\n      jobId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.JobUpdatedDocument,
    "\n  query JobProgress($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.JobProgressDocument,
    "\n  mutation CancelJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  query ResultUrl($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      resultUrl\n      resultExpired\n    }\n  }\n": typeof types.ResultUrlDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      emailVerified\n      isPlatformAdmin\n      mustAcceptPolicy\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Teams {\n    teams(first: 100) {\n      edges {\n        node {\n          id\n          name\n          personal\n          viewerRole\n        }\n      }\n    }\n  }\n": typeof types.TeamsDocument,
    "\n  query CreditBalance($teamId: ID!) {\n    creditBalance(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": typeof types.CreditBalanceDocument,
    "\n  subscription CreditBalanceChanged($teamId: ID!) {\n    creditBalanceChanged(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": typeof types.CreditBalanceChangedDocument,
    "\n  query TeamDetails($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      personal\n      viewerRole\n      members(first: 100) {\n        edges {\n          node {\n            userId\n            email\n            role\n            joinedAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.TeamDetailsDocument,
    "\n  query TeamInvitations($teamId: ID!) {\n    invitations(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          email\n          role\n          status\n          expiresAt\n        }\n      }\n    }\n  }\n": typeof types.TeamInvitationsDocument,
    "\n  query TeamApiKeys($teamId: ID!) {\n    apiKeys(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          createdAt\n          lastUsedAt\n        }\n      }\n    }\n  }\n": typeof types.TeamApiKeysDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      status\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      userId\n      role\n    }\n  }\n": typeof types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation LeaveTeam($input: LeaveTeamInput!) {\n    leaveTeam(input: $input)\n  }\n": typeof types.LeaveTeamDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n    }\n  }\n": typeof types.TransferOwnershipDocument,
    "\n  mutation CreateTeam($input: CreateTeamInput!) {\n    createTeam(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateTeamDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.AcceptInvitationDocument,
};
const documents: Documents = {
    "\n  query AdminDataRequests($status: DataRequestStatus, $first: Int, $after: String) {\n    dataRequests(status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          kind\n          status\n          origin\n          createdAt\n          dueAt\n          overdue\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminDataRequestsDocument,
    "\n  query AdminDataRequest($id: ID!) {\n    dataRequest(id: $id) {\n      id\n      kind\n      status\n      origin\n      note\n      createdAt\n      dueAt\n      overdue\n      approvedAt\n      startedAt\n      completedAt\n      rejectedAt\n      rejectionReason\n      canceledAt\n      executeAfter\n      errorCode\n      progress\n      step\n      subjectUserId\n      waitingReason {\n        reason\n        reference\n        holdId\n      }\n      receipt {\n        startedAt\n        completedAt\n        items {\n          name\n          count\n        }\n      }\n    }\n  }\n": types.AdminDataRequestDocument,
    "\n  mutation AdminCreateDataRequest($input: CreateDataRequestInput!) {\n    createDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": types.AdminCreateDataRequestDocument,
    "\n  mutation AdminApproveDataRequest($input: ApproveDataRequestInput!) {\n    approveDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": types.AdminApproveDataRequestDocument,
    "\n  mutation AdminRejectDataRequest($input: RejectDataRequestInput!) {\n    rejectDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n": types.AdminRejectDataRequestDocument,
    "\n  fragment AdminLegalHold on LegalHold {\n    id\n    active\n    subjectKind\n    subjectId\n    reference\n    placedAt\n    placedByUserId\n    releasedAt\n    releaseReason\n  }\n": types.AdminLegalHoldFragmentDoc,
    "\n  query AdminLegalHolds($activeOnly: Boolean, $first: Int, $after: String) {\n    legalHolds(activeOnly: $activeOnly, first: $first, after: $after) {\n      edges {\n        node {\n          ...AdminLegalHold\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminLegalHoldsDocument,
    "\n  mutation AdminPlaceLegalHold($input: PlaceLegalHoldInput!) {\n    placeLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n": types.AdminPlaceLegalHoldDocument,
    "\n  mutation AdminReleaseLegalHold($input: ReleaseLegalHoldInput!) {\n    releaseLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n": types.AdminReleaseLegalHoldDocument,
    "\n  query AdminAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {\n    platformAuditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorKind\n          actorUserId\n          subjectUserId\n          targetId\n          teamId\n          reason\n          details\n          occurredAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminAuditLogDocument,
    "\n  mutation AdminAdjustCredits($input: AdjustCreditsInput!) {\n    adjustCredits(input: $input) {\n      balance {\n        available\n        debt\n      }\n      entry {\n        id\n        amount\n        reason\n      }\n    }\n  }\n": types.AdminAdjustCreditsDocument,
    "\n  query AdminLedgerHealth {\n    ledgerHealth {\n      teamId\n      balance\n      ledgerSum\n    }\n  }\n": types.AdminLedgerHealthDocument,
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
    "\n  query CreditPacks {\n    billingConfigured\n    creditPacks {\n      id\n      name\n      credits\n      amount\n      currency\n    }\n  }\n": types.CreditPacksDocument,
    "\n  mutation PurchaseCredits($input: PurchaseCreditsInput!) {\n    purchaseCredits(input: $input) {\n      id\n      url\n    }\n  }\n": types.PurchaseCreditsDocument,
    "\n  query Purchases($teamId: ID!, $first: Int, $after: String) {\n    purchases(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          pack\n          credits\n          amount\n          currency\n          status\n          receiptUrl\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.PurchasesDocument,
    "\n  query CreditLedger($teamId: ID!, $first: Int, $after: String) {\n    creditLedger(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          kind\n          amount\n          reference\n          reason\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.CreditLedgerDocument,
    "\n  query Usage($teamId: ID!, $from: DateTime!, $to: DateTime!) {\n    usage(teamId: $teamId, from: $from, to: $to) {\n      day\n      jobs\n      credits\n    }\n  }\n": types.UsageDocument,
    "\n  query HistoryJobs($teamId: ID!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(teamId: $teamId, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...HistoryJob\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.HistoryJobsDocument,
    "\n  fragment HistoryJob on Job {\n    id\n    filename\n    status\n    stage\n    progress\n    createdAt\n    finishedAt\n    creditsCharged\n    creditsRefunded\n    inputUrl\n    resultUrl\n    thumbnailUrl\n    resultExpiresAt\n    resultExpired\n    error {\n      code\n      message\n    }\n    options {\n      size\n      type\n      format\n      mode\n      bgColor\n      crop\n      refine\n      decontaminate\n    }\n  }\n": types.HistoryJobFragmentDoc,
    "\n  query HistoryJob($id: ID!) {\n    job(id: $id) {\n      ...HistoryJob\n    }\n  }\n": types.HistoryJobDocument,
    "\n  subscription TeamJobs($teamId: ID!) {\n    teamJobs(teamId: $teamId) {\n      jobId\n      teamId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.TeamJobsDocument,
    "\n  mutation CancelHistoryJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      ...HistoryJob\n    }\n  }\n": types.CancelHistoryJobDocument,
    "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n": types.PolicyDocument,
    "\n  query RetentionPolicy($teamId: ID!) {\n    retentionPolicy(teamId: $teamId) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n      minimums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      maximums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      defaults {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n    }\n  }\n": types.RetentionPolicyDocument,
    "\n  mutation UpdateRetentionPolicy($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n    }\n  }\n": types.UpdateRetentionPolicyDocument,
    "\n  query ConsentSettings {\n    consent {\n      id\n      categories\n      policyVersion\n      recordedAt\n      source\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n    consentHistory(first: 100, newestFirst: true) {\n      edges {\n        node {\n          id\n          categories\n          policyVersion\n          recordedAt\n          source\n        }\n      }\n    }\n  }\n": types.ConsentSettingsDocument,
    "\n  query MyDataRequests {\n    myDataRequests(first: 50) {\n      edges {\n        node {\n          id\n          kind\n          status\n          createdAt\n          completedAt\n          executeAfter\n          exportExpiresAt\n          downloadUrl\n          errorCode\n          rejectionReason\n          progress\n        }\n      }\n    }\n  }\n": types.MyDataRequestsDocument,
    "\n  mutation RequestDataExport {\n    requestDataExport {\n      id\n      status\n    }\n  }\n": types.RequestDataExportDocument,
    "\n  mutation RequestAccountDeletion($input: RequestAccountDeletionInput!) {\n    requestAccountDeletion(input: $input) {\n      id\n      status\n      executeAfter\n    }\n  }\n": types.RequestAccountDeletionDocument,
    "\n  mutation CancelAccountDeletion($input: CancelAccountDeletionInput!) {\n    cancelAccountDeletion(input: $input) {\n      id\n      status\n    }\n  }\n": types.CancelAccountDeletionDocument,
    "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n      highMultiplier\n    }\n  }\n": types.PricesDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      isDefault\n      available\n      licence\n    }\n  }\n": types.ModelsDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      id\n      uploadUrl\n      expiresAt\n    }\n  }\n": types.CreateUploadDocument,
    "\n  mutation RemoveBackground($input: RemoveBackgroundInput!) {\n    removeBackground(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      creditsCharged\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.RemoveBackgroundDocument,
    "\n  subscription JobUpdated($jobId: ID!) {\n    jobUpdated(jobId: $jobId) {\n      jobId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.JobUpdatedDocument,
    "\n  query JobProgress($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.JobProgressDocument,
    "\n  mutation CancelJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.CancelJobDocument,
    "\n  query ResultUrl($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      resultUrl\n      resultExpired\n    }\n  }\n": types.ResultUrlDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      emailVerified\n      isPlatformAdmin\n      mustAcceptPolicy\n    }\n  }\n": types.MeDocument,
    "\n  query Teams {\n    teams(first: 100) {\n      edges {\n        node {\n          id\n          name\n          personal\n          viewerRole\n        }\n      }\n    }\n  }\n": types.TeamsDocument,
    "\n  query CreditBalance($teamId: ID!) {\n    creditBalance(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": types.CreditBalanceDocument,
    "\n  subscription CreditBalanceChanged($teamId: ID!) {\n    creditBalanceChanged(teamId: $teamId) {\n      available\n      debt\n    }\n  }\n": types.CreditBalanceChangedDocument,
    "\n  query TeamDetails($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      personal\n      viewerRole\n      members(first: 100) {\n        edges {\n          node {\n            userId\n            email\n            role\n            joinedAt\n          }\n        }\n      }\n    }\n  }\n": types.TeamDetailsDocument,
    "\n  query TeamInvitations($teamId: ID!) {\n    invitations(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          email\n          role\n          status\n          expiresAt\n        }\n      }\n    }\n  }\n": types.TeamInvitationsDocument,
    "\n  query TeamApiKeys($teamId: ID!) {\n    apiKeys(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          createdAt\n          lastUsedAt\n        }\n      }\n    }\n  }\n": types.TeamApiKeysDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      status\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      userId\n      role\n    }\n  }\n": types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  mutation LeaveTeam($input: LeaveTeamInput!) {\n    leaveTeam(input: $input)\n  }\n": types.LeaveTeamDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n    }\n  }\n": types.TransferOwnershipDocument,
    "\n  mutation CreateTeam($input: CreateTeamInput!) {\n    createTeam(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateTeamDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      id\n      name\n    }\n  }\n": types.AcceptInvitationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDataRequests($status: DataRequestStatus, $first: Int, $after: String) {\n    dataRequests(status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          kind\n          status\n          origin\n          createdAt\n          dueAt\n          overdue\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').AdminDataRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDataRequest($id: ID!) {\n    dataRequest(id: $id) {\n      id\n      kind\n      status\n      origin\n      note\n      createdAt\n      dueAt\n      overdue\n      approvedAt\n      startedAt\n      completedAt\n      rejectedAt\n      rejectionReason\n      canceledAt\n      executeAfter\n      errorCode\n      progress\n      step\n      subjectUserId\n      waitingReason {\n        reason\n        reference\n        holdId\n      }\n      receipt {\n        startedAt\n        completedAt\n        items {\n          name\n          count\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AdminDataRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateDataRequest($input: CreateDataRequestInput!) {\n    createDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').AdminCreateDataRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminApproveDataRequest($input: ApproveDataRequestInput!) {\n    approveDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').AdminApproveDataRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRejectDataRequest($input: RejectDataRequestInput!) {\n    rejectDataRequest(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').AdminRejectDataRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminLegalHold on LegalHold {\n    id\n    active\n    subjectKind\n    subjectId\n    reference\n    placedAt\n    placedByUserId\n    releasedAt\n    releaseReason\n  }\n"): typeof import('./graphql').AdminLegalHoldFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLegalHolds($activeOnly: Boolean, $first: Int, $after: String) {\n    legalHolds(activeOnly: $activeOnly, first: $first, after: $after) {\n      edges {\n        node {\n          ...AdminLegalHold\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').AdminLegalHoldsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminPlaceLegalHold($input: PlaceLegalHoldInput!) {\n    placeLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n"): typeof import('./graphql').AdminPlaceLegalHoldDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminReleaseLegalHold($input: ReleaseLegalHoldInput!) {\n    releaseLegalHold(input: $input) {\n      ...AdminLegalHold\n    }\n  }\n"): typeof import('./graphql').AdminReleaseLegalHoldDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {\n    platformAuditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorKind\n          actorUserId\n          subjectUserId\n          targetId\n          teamId\n          reason\n          details\n          occurredAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').AdminAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAdjustCredits($input: AdjustCreditsInput!) {\n    adjustCredits(input: $input) {\n      balance {\n        available\n        debt\n      }\n      entry {\n        id\n        amount\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').AdminAdjustCreditsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLedgerHealth {\n    ledgerHealth {\n      teamId\n      balance\n      ledgerSum\n    }\n  }\n"): typeof import('./graphql').AdminLedgerHealthDocument;
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
export function graphql(source: "\n  query CreditPacks {\n    billingConfigured\n    creditPacks {\n      id\n      name\n      credits\n      amount\n      currency\n    }\n  }\n"): typeof import('./graphql').CreditPacksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurchaseCredits($input: PurchaseCreditsInput!) {\n    purchaseCredits(input: $input) {\n      id\n      url\n    }\n  }\n"): typeof import('./graphql').PurchaseCreditsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Purchases($teamId: ID!, $first: Int, $after: String) {\n    purchases(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          pack\n          credits\n          amount\n          currency\n          status\n          receiptUrl\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): typeof import('./graphql').PurchasesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreditLedger($teamId: ID!, $first: Int, $after: String) {\n    creditLedger(teamId: $teamId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          kind\n          amount\n          reference\n          reason\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): typeof import('./graphql').CreditLedgerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Usage($teamId: ID!, $from: DateTime!, $to: DateTime!) {\n    usage(teamId: $teamId, from: $from, to: $to) {\n      day\n      jobs\n      credits\n    }\n  }\n"): typeof import('./graphql').UsageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HistoryJobs($teamId: ID!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(teamId: $teamId, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...HistoryJob\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): typeof import('./graphql').HistoryJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HistoryJob on Job {\n    id\n    filename\n    status\n    stage\n    progress\n    createdAt\n    finishedAt\n    creditsCharged\n    creditsRefunded\n    inputUrl\n    resultUrl\n    thumbnailUrl\n    resultExpiresAt\n    resultExpired\n    error {\n      code\n      message\n    }\n    options {\n      size\n      type\n      format\n      mode\n      bgColor\n      crop\n      refine\n      decontaminate\n    }\n  }\n"): typeof import('./graphql').HistoryJobFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HistoryJob($id: ID!) {\n    job(id: $id) {\n      ...HistoryJob\n    }\n  }\n"): typeof import('./graphql').HistoryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TeamJobs($teamId: ID!) {\n    teamJobs(teamId: $teamId) {\n      jobId\n      teamId\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').TeamJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelHistoryJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      ...HistoryJob\n    }\n  }\n"): typeof import('./graphql').CancelHistoryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Policy($kind: PolicyKind!) {\n    policy(kind: $kind) {\n      kind\n      title\n      version\n      markdown\n    }\n  }\n"): typeof import('./graphql').PolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionPolicy($teamId: ID!) {\n    retentionPolicy(teamId: $teamId) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n      minimums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      maximums {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n      defaults {\n        uploadsHours\n        resultsHours\n        jobRecordsDays\n      }\n    }\n  }\n"): typeof import('./graphql').RetentionPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRetentionPolicy($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) {\n      teamId\n      isDefault\n      updatedAt\n      uploadsHours\n      resultsHours\n      jobRecordsDays\n    }\n  }\n"): typeof import('./graphql').UpdateRetentionPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsentSettings {\n    consent {\n      id\n      categories\n      policyVersion\n      recordedAt\n      source\n    }\n    policy(kind: COOKIES) {\n      version\n    }\n    consentHistory(first: 100, newestFirst: true) {\n      edges {\n        node {\n          id\n          categories\n          policyVersion\n          recordedAt\n          source\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ConsentSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyDataRequests {\n    myDataRequests(first: 50) {\n      edges {\n        node {\n          id\n          kind\n          status\n          createdAt\n          completedAt\n          executeAfter\n          exportExpiresAt\n          downloadUrl\n          errorCode\n          rejectionReason\n          progress\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MyDataRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestDataExport {\n    requestDataExport {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').RequestDataExportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestAccountDeletion($input: RequestAccountDeletionInput!) {\n    requestAccountDeletion(input: $input) {\n      id\n      status\n      executeAfter\n    }\n  }\n"): typeof import('./graphql').RequestAccountDeletionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAccountDeletion($input: CancelAccountDeletionInput!) {\n    cancelAccountDeletion(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').CancelAccountDeletionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Prices {\n    prices {\n      preview\n      full\n      previewMaxMegapixels\n      highMultiplier\n    }\n  }\n"): typeof import('./graphql').PricesDocument;
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
export function graphql(source: "\n  query JobProgress($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').JobProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($input: CancelJobInput!) {\n    cancelJob(input: $input) {\n      id\n      status\n      stage\n      progress\n      resultUrl\n      error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').CancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResultUrl($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      resultUrl\n      resultExpired\n    }\n  }\n"): typeof import('./graphql').ResultUrlDocument;
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamDetails($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      personal\n      viewerRole\n      members(first: 100) {\n        edges {\n          node {\n            userId\n            email\n            role\n            joinedAt\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeamDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamInvitations($teamId: ID!) {\n    invitations(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          email\n          role\n          status\n          expiresAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeamInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamApiKeys($teamId: ID!) {\n    apiKeys(teamId: $teamId, first: 100) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          createdAt\n          lastUsedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeamApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      status\n    }\n  }\n"): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').RevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      userId\n      role\n    }\n  }\n"): typeof import('./graphql').ChangeMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveTeam($input: LeaveTeamInput!) {\n    leaveTeam(input: $input)\n  }\n"): typeof import('./graphql').LeaveTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').TransferOwnershipDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTeam($input: CreateTeamInput!) {\n    createTeam(input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').CreateTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n"): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      id\n      revokedAt\n    }\n  }\n"): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').AcceptInvitationDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
