import { graphql } from '../graphql/generated';

export const PricesDocument = graphql(`
  query Prices {
    prices {
      preview
      full
      previewMaxMegapixels
      highMultiplier
    }
  }
`);

export const ModelsDocument = graphql(`
  query Models {
    models {
      id
      name
      isDefault
      available
      licence
    }
  }
`);

export const CreateUploadDocument = graphql(`
  mutation CreateUpload($input: CreateUploadInput!) {
    createUpload(input: $input) {
      id
      uploadUrl
      expiresAt
    }
  }
`);

export const RemoveBackgroundDocument = graphql(`
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
`);

export const JobUpdatedDocument = graphql(`
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
`);

/** A job's state, read when its live stream is not available (see job-watch.ts). */
export const JobProgressDocument = graphql(`
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
`);

export const CancelJobDocument = graphql(`
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
`);

/** A fresh signed result URL for "Download all" (the one the card got may have expired meanwhile). */
export const ResultUrlDocument = graphql(`
  query ResultUrl($id: ID!) {
    job(id: $id) {
      id
      status
      resultUrl
      resultExpired
    }
  }
`);
