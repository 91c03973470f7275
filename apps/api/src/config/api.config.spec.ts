import { loadApiConfig } from './api.config';
import { configProblems as problems } from '../../testing/config-problems';

describe('API configuration', () => {
  it('starts with embedded defaults', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      PUBLIC_URL: 'http://localhost:3000',
      GRAPHQL_INTROSPECTION: true,
      isProduction: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TRIAL_CREDITS).toBe(10);
    expect(config.WORKER_STOP_GRACE_SECONDS).toBe(10);
  });

  it('names each bad variable', () => {
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT']);
    expect(problems({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL']);
    expect(problems({ SMTP_URL: 'http://mail' })).toEqual(['SMTP_URL']);
    expect(problems({ GRAPHQL_INTROSPECTION: 'maybe' })).toEqual(['GRAPHQL_INTROSPECTION']);
    expect(problems({ TRIAL_CREDITS: '0.1' })).toEqual(['TRIAL_CREDITS']);
    expect(problems({ TRIAL_CREDITS: '-1' })).toEqual(['TRIAL_CREDITS']);
    // A grace past 28 days would run a deletion after its 30-day statutory due date (found in review: up to 90 was allowed).
    expect(problems({ DELETION_GRACE_DAYS: '29' })).toEqual(['DELETION_GRACE_DAYS']);
    expect(problems({ DELETION_GRACE_DAYS: '28' })).toEqual([]);
    expect(problems({ WORKER_STOP_GRACE_SECONDS: '0' })).toEqual(['WORKER_STOP_GRACE_SECONDS']);
  });

  it('refuses one S3 key without the other at start, naming the missing variable', () => {
    // Regression: the pair was only checked when the blob store was made, in words naming no variable.
    expect(problems({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'AKIA' })).toEqual(['S3_SECRET_ACCESS_KEY']);
    expect(problems({ S3_BUCKET: 'b', S3_SECRET_ACCESS_KEY: 'secret' })).toEqual(['S3_ACCESS_KEY_ID']);
    expect(problems({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'AKIA', S3_SECRET_ACCESS_KEY: 'secret' })).toEqual([]);
    expect(problems({ S3_BUCKET: 'b' })).toEqual([]);
    // Without a bucket the blobs stay on local disk and the keys are unused: a leftover one does not stop the start.
    expect(problems({ S3_ACCESS_KEY_ID: 'AKIA' })).toEqual([]);
  });

  it('requires a master key and public URL in production, and turns introspection off', () => {
    expect(problems({ NODE_ENV: 'production' }).sort()).toEqual(['MASTER_KEY', 'PUBLIC_URL']);
    const config = loadApiConfig({ NODE_ENV: 'production', MASTER_KEY: 'x', PUBLIC_URL: 'https://cutout.example.com/' });
    expect(config).toMatchObject({ GRAPHQL_INTROSPECTION: false, PUBLIC_URL: 'https://cutout.example.com' });
  });
});
