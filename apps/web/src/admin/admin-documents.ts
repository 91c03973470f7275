import { graphql } from '../graphql/generated';

export const DataRequestsDocument = graphql(`
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
`);

export const DataRequestDocument = graphql(`
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
`);

export const CreateDataRequestDocument = graphql(`
  mutation AdminCreateDataRequest($input: CreateDataRequestInput!) {
    createDataRequest(input: $input) {
      id
      status
    }
  }
`);

export const ApproveDataRequestDocument = graphql(`
  mutation AdminApproveDataRequest($input: ApproveDataRequestInput!) {
    approveDataRequest(input: $input) {
      id
      status
    }
  }
`);

export const RejectDataRequestDocument = graphql(`
  mutation AdminRejectDataRequest($input: RejectDataRequestInput!) {
    rejectDataRequest(input: $input) {
      id
      status
    }
  }
`);

/** What the admin page shows of a legal hold: the list and both mutations read the same fields. */
export const AdminLegalHoldFragment = graphql(`
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
`);

export const LegalHoldsDocument = graphql(`
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
`);

export const PlaceLegalHoldDocument = graphql(`
  mutation AdminPlaceLegalHold($input: PlaceLegalHoldInput!) {
    placeLegalHold(input: $input) {
      ...AdminLegalHold
    }
  }
`);

export const ReleaseLegalHoldDocument = graphql(`
  mutation AdminReleaseLegalHold($input: ReleaseLegalHoldInput!) {
    releaseLegalHold(input: $input) {
      ...AdminLegalHold
    }
  }
`);

export const PlatformAuditLogDocument = graphql(`
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
`);

export const AdjustCreditsDocument = graphql(`
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
`);

export const LedgerHealthDocument = graphql(`
  query AdminLedgerHealth {
    ledgerHealth {
      teamId
      balance
      ledgerSum
    }
  }
`);
