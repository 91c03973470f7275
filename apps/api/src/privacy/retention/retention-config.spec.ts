import { loadApiConfig } from '../../config/api.config';
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
    });
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
