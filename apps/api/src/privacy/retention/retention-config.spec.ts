import { loadApiConfig } from '../../config/api.config';
import { RESULT_COMMIT_GRACE_MS } from '../../jobs/worker/job-runner.service';
import { configProblems as problems } from '../../../testing/config-problems';

describe('retention configuration', () => {
  it('has the documented defaults and bounds', () => {
    expect(loadApiConfig({})).toMatchObject({
      RETENTION_UPLOADS_HOURS: 24,
      RETENTION_RESULTS_HOURS: 168,
      RETENTION_JOB_RECORDS_DAYS: 90,
      RETENTION_UPLOADS_HOURS_MIN: 1,
      RETENTION_UPLOADS_HOURS_MAX: 720,
      RETENTION_RESULTS_HOURS_MAX: 2160,
      RETENTION_JOB_RECORDS_DAYS_MAX: 3650,
      DEV_MAILBOX_RETENTION_HOURS: 24,
      UNVERIFIED_ACCOUNT_MAX_DAYS: 7,
      ORPHAN_BLOB_GRACE_HOURS: 6,
    });
  });

  it('refuses an orphan-blob grace no longer than a write may be in flight: a result’s commit grace, an upload URL’s life and its PUT', () => {
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: String(RESULT_COMMIT_GRACE_MS / 3_600_000) })).toEqual(['ORPHAN_BLOB_GRACE_HOURS']);
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: '2' })).toEqual([]);
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: '2', UPLOAD_URL_TTL_SECONDS: '7200' })).toEqual(['ORPHAN_BLOB_GRACE_HOURS']);
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: '24', UPLOAD_URL_TTL_SECONDS: '86400' })).toEqual(['ORPHAN_BLOB_GRACE_HOURS']);
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: '25', UPLOAD_URL_TTL_SECONDS: '86400' })).toEqual([]);
    expect(problems({ ORPHAN_BLOB_GRACE_HOURS: '6.5' })).toEqual(['ORPHAN_BLOB_GRACE_HOURS']);
  });

  it('refuses to start when a default lies outside its bounds, bounds are crossed, or results outlive job records', () => {
    expect(problems({ RETENTION_UPLOADS_HOURS: '800' })).toEqual(['RETENTION_UPLOADS_HOURS']);
    expect(problems({ RETENTION_RESULTS_HOURS_MIN: '200' })).toEqual(['RETENTION_RESULTS_HOURS']);
    expect(problems({ RETENTION_JOB_RECORDS_DAYS_MIN: '10', RETENTION_JOB_RECORDS_DAYS_MAX: '5' })).toEqual([
      'RETENTION_JOB_RECORDS_DAYS_MIN',
    ]);
    expect(problems({ RETENTION_JOB_RECORDS_DAYS: '2' })).toEqual(['RETENTION_RESULTS_HOURS']);
    expect(problems({ RETENTION_UPLOADS_HOURS: '1.5' })).toEqual(['RETENTION_UPLOADS_HOURS']);
  });
});
