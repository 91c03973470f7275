import { graphql } from '../graphql/generated';

export const RetentionPolicyDocument = graphql(`
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
`);

export const UpdateRetentionPolicyDocument = graphql(`
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
`);

export const ConsentSettingsDocument = graphql(`
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
`);

export const MyDataRequestsDocument = graphql(`
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
`);

export const RequestDataExportDocument = graphql(`
  mutation RequestDataExport {
    requestDataExport {
      id
      status
    }
  }
`);

export const RequestAccountDeletionDocument = graphql(`
  mutation RequestAccountDeletion($input: RequestAccountDeletionInput!) {
    requestAccountDeletion(input: $input) {
      id
      status
      executeAfter
    }
  }
`);

export const CancelAccountDeletionDocument = graphql(`
  mutation CancelAccountDeletion($input: CancelAccountDeletionInput!) {
    cancelAccountDeletion(input: $input) {
      id
      status
    }
  }
`);
