import { graphql } from '../graphql/generated';

export const HistoryJobsDocument = graphql(`
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
`);

export const HistoryJobFragment = graphql(`
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
`);

export const HistoryJobDocument = graphql(`
  query HistoryJob($id: ID!) {
    job(id: $id) {
      ...HistoryJob
    }
  }
`);

export const TeamJobsDocument = graphql(`
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
`);

export const CancelHistoryJobDocument = graphql(`
  mutation CancelHistoryJob($input: CancelJobInput!) {
    cancelJob(input: $input) {
      ...HistoryJob
    }
  }
`);
