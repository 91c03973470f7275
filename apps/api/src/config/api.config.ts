import path from 'node:path';
import { z } from 'zod';
import { envBool, envInt, envList, parseEnv } from '@cutout/config';
import { creditPacksEnv } from '../billing/credit-packs';

/** A price in credits: a multiple of 0.25 (the ledger counts whole quarter-credits), 0 (free) to 10 000. */
const priceCredits = () =>
  z.coerce
    .number()
    .min(0)
    .max(10_000)
    .refine((credits) => Number.isInteger(credits * 4), 'must be a multiple of 0.25 credits');

/**
 * How long a PUT holds its upload (storage/uploads.service.ts). Node's HTTP server ends a request whose body
 * takes longer than its requestTimeout (300 s by default), so a claim older than this belongs to a PUT that
 * died with its process; the next PUT may take over. A PUT that outlives its claim cannot commit (the blob
 * key no longer matches) and removes only its own blob.
 */
export const UPLOAD_CLAIM_SECONDS = 300;

/** Where the database is: the API and the admin tools (cli/with-database.ts) read these alike. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().default('.data'),
});

/**
 * Every environment variable the API reads, validated once at start.
 * The README's configuration table mirrors this schema.
 */
export const apiConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: envInt(0, 65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://cutout.example.com' }).optional(),
    ...databaseEnvSchema.shape,
    MASTER_KEY: z.string().optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().default('Cutout <no-reply@cutout.local>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    GRAPHQL_INTROSPECTION: envBool().optional(),
    GRAPHQL_MAX_DEPTH: envInt(2, 50).default(10),
    GRAPHQL_MAX_COMPLEXITY: envInt(10, 100_000).default(2000),
    GRAPHQL_MAX_ROOT_FIELDS: envInt(1, 100).default(10),
    SESSION_TTL_HOURS: envInt(1, 24 * 365).default(24 * 30),
    RATE_LIMIT_WINDOW_SECONDS: envInt(1, 86_400).default(900),
    SIGN_IN_FAILURES_BEFORE_DELAY: envInt(1, 1000).default(10),
    RATE_LIMIT_PER_CLIENT: envInt(1, 100_000).default(100),
    MAIL_RATE_LIMIT_PER_RECIPIENT: envInt(1, 1000).default(5),
    INVITE_RATE_LIMIT_PER_TEAM: envInt(1, 10_000).default(50),
    TRUST_PROXY: envBool().default(false),
    CORS_ORIGINS: envList()
      .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be comma-separated origins such as https://app.example.com' })))
      .optional(),
    WS_MAX_PAYLOAD_BYTES: envInt(1024, 16 * 1024 * 1024).default(64 * 1024),
    WS_CONNECTION_INIT_TIMEOUT_SECONDS: envInt(1, 300).default(3),
    WS_MAX_SOCKETS_PER_IP: envInt(1, 100_000).default(100),
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: envInt(1, 10_000).default(100),
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    WEB_DIST_DIR: z.string().default('dist/apps/web'),
    MAX_UPLOAD_BYTES: envInt(1024, 500 * 1024 * 1024).default(50 * 1024 * 1024),
    MAX_INLINE_BYTES: envInt(1024, 20 * 1024 * 1024).default(5 * 1024 * 1024),
    MAX_IMAGE_MEGAPIXELS: z.coerce.number().positive().max(500).default(50),
    UPLOAD_URL_TTL_SECONDS: envInt(10, 86_400).default(900),
    DOWNLOAD_URL_TTL_SECONDS: envInt(10, 7 * 86_400).default(3600),
    INFERENCE_URLS: z.string().default('127.0.0.1:50051'),
    INFERENCE_DEADLINE_SECONDS: envInt(1, 3600).default(120),
    /** `npm start` only: an inference child not serving this long after it was spawned is killed and started again (a failed start). */
    INFERENCE_START_TIMEOUT_SECONDS: envInt(10, 86_400).default(600),
    WORKER_CONCURRENCY: envInt(1, 64).default(2),
    /** A stopping worker lets its running jobs finish this long; past it their deliveries go back to the queue. */
    WORKER_STOP_GRACE_SECONDS: envInt(1, 3600).default(10),
    JOB_MAX_ATTEMPTS: envInt(1, 10).default(3),
    JOB_HEARTBEAT_SECONDS: envInt(10, 3600).default(10),
    JOB_RETRY_DELAY_SECONDS: envInt(0, 3600).default(2),
    /** While no inference server is healthy, a worker holds a job this long before claiming it (0: never waits). */
    JOB_INFERENCE_WAIT_SECONDS: envInt(0, 3600).default(60),
    /** Within a stage, at most one progress update (row write + NOTIFY) per job per this many ms; stage changes pass at once. */
    JOB_PROGRESS_INTERVAL_MS: envInt(10, 60_000).default(250),
    /** Credits charged for a job whose result is at most 0.25 megapixels (size PREVIEW, or a small input). */
    PRICE_PREVIEW_CREDITS: priceCredits().default(0.25),
    /** Credits charged for a job whose result is larger than 0.25 megapixels. */
    PRICE_FULL_CREDITS: priceCredits().default(1),
    /** Credits each user's personal team receives once, when the user verifies their email (0: no trial). */
    TRIAL_CREDITS: priceCredits().default(10),
    QUEUE_MONITOR_SECONDS: envInt(1, 600).default(5),
    /** When the retention sweeper runs: a 5-field cron in UTC (pg-boss schedules it once across replicas); empty: never. */
    PRIVACY_SWEEP_CRON: z
      .string()
      .trim()
      .regex(/^$|^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression such as "* * * * *", or empty to turn the sweeper off')
      .default('* * * * *'),
    /** Retention defaults (a team without its own policy) and the bounds a team's policy must lie within. */
    RETENTION_UPLOADS_HOURS: envInt(1, 100_000).default(24),
    RETENTION_UPLOADS_HOURS_MIN: envInt(1, 100_000).default(1),
    RETENTION_UPLOADS_HOURS_MAX: envInt(1, 100_000).default(720),
    RETENTION_RESULTS_HOURS: envInt(1, 100_000).default(168),
    RETENTION_RESULTS_HOURS_MIN: envInt(1, 100_000).default(1),
    RETENTION_RESULTS_HOURS_MAX: envInt(1, 100_000).default(2160),
    RETENTION_JOB_RECORDS_DAYS: envInt(1, 36_500).default(90),
    RETENTION_JOB_RECORDS_DAYS_MIN: envInt(1, 36_500).default(1),
    RETENTION_JOB_RECORDS_DAYS_MAX: envInt(1, 36_500).default(3650),
    /** Dev mailbox files (no SMTP_URL) older than this are swept. */
    DEV_MAILBOX_RETENTION_HOURS: envInt(1, 100_000).default(24),
    /** Accounts whose email was never verified are deleted (with their empty personal team) after this many days. */
    UNVERIFIED_ACCOUNT_MAX_DAYS: envInt(1, 3650).default(7),
    /** Days between a confirmed self-service account deletion and its execution (the user may cancel meanwhile); 0: at once. */
    // At most 28: the deletion runs before the 30-day statutory due date (DATA_REQUEST_DUE_DAYS), with a day or two to spare.
    DELETION_GRACE_DAYS: envInt(0, 28).default(0),
    /**
     * A blob in the store that no row names (its writer died before recording or queueing it) is
     * deleted by the sweeper once it is this old (storage/orphan-blobs.sweep.ts): longer than any
     * write can be in flight before its row commits. At least 2 hours, over a worker's result's
     * commit grace (RESULT_COMMIT_GRACE_MS, 1 hour), and over an upload URL's life and its PUT's claim.
     */
    ORPHAN_BLOB_GRACE_HOURS: envInt(2, 24 * 30).default(6),
    /** Hours a data-export archive stays downloadable before the sweeper deletes it. */
    EXPORT_TTL_HOURS: envInt(1, 24 * 30).default(24),
    /** Attempts at executing a data request before it is FAILED (unexpected errors only). */
    DATA_REQUEST_MAX_ATTEMPTS: envInt(1, 10).default(3),
    DATA_REQUEST_RETRY_DELAY_SECONDS: envInt(0, 3600).default(30),
    /** A folder with `privacy/` and `cookies/` holding the policy versions (YYYY-MM-DD.md); unset: the ones shipped with the API. */
    POLICY_DOCUMENTS_DIR: z.string().optional(),
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: envBool().default(true),
    /** Stripe secret key (sk_…); unset: purchaseCredits answers BILLING_NOT_CONFIGURED, everything else works. */
    STRIPE_SECRET_KEY: z.string().optional(),
    /** Signing secret of the Stripe webhook endpoint (whsec_…); required with STRIPE_SECRET_KEY. */
    STRIPE_WEBHOOK_SECRET: z.string().optional(),
    /** Another host for Stripe's API, e.g. http://127.0.0.1:12111 (stripe-mock, the tests' fake). */
    STRIPE_API_BASE: z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL such as http://127.0.0.1:12111' }).optional(),
    /** Credit packs sold through Stripe Checkout: id:credits:amount:currency, comma-separated (amount in the minor unit). */
    CREDIT_PACKS: creditPacksEnv(),
  })
  .superRefine((env, ctx) => {
    for (const [name, unit] of [
      ['RETENTION_UPLOADS_HOURS', 'hours'],
      ['RETENTION_RESULTS_HOURS', 'hours'],
      ['RETENTION_JOB_RECORDS_DAYS', 'days'],
    ] as const) {
      const [value, min, max] = [env[name], env[`${name}_MIN`], env[`${name}_MAX`]];
      if (min > max) ctx.addIssue({ code: 'custom', path: [`${name}_MIN`], message: `must not exceed ${name}_MAX (${max} ${unit})` });
      else if (value < min || value > max)
        ctx.addIssue({ code: 'custom', path: [name], message: `must lie within ${name}_MIN and ${name}_MAX (${min}–${max} ${unit})` });
    }
    if (env.RETENTION_RESULTS_HOURS > env.RETENTION_JOB_RECORDS_DAYS * 24) {
      ctx.addIssue({ code: 'custom', path: ['RETENTION_RESULTS_HOURS'], message: 'must not exceed RETENTION_JOB_RECORDS_DAYS (in hours)' });
    }
    if (env.ORPHAN_BLOB_GRACE_HOURS * 3600 <= env.UPLOAD_URL_TTL_SECONDS + UPLOAD_CLAIM_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ORPHAN_BLOB_GRACE_HOURS'],
        message: `must be longer than UPLOAD_URL_TTL_SECONDS plus an upload PUT's claim (${UPLOAD_CLAIM_SECONDS} s)`,
      });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required with STRIPE_SECRET_KEY (whsec_…)' });
    }
    // With a bucket, static S3 credentials come as a pair; neither: the SDK's default chain (instance role, AWS_* variables).
    if (env.S3_BUCKET && !env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
      const [missing, set] = env.S3_ACCESS_KEY_ID
        ? ['S3_SECRET_ACCESS_KEY', 'S3_ACCESS_KEY_ID']
        : ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
      ctx.addIssue({ code: 'custom', path: [missing], message: `is required with ${set} (set both, or neither)` });
    }
    if (env.NODE_ENV === 'production' && !env.MASTER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['MASTER_KEY'], message: 'is required in production (32 random bytes, base64)' });
    }
    if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production (used in mailed links)' });
    }
  });

export type ApiEnv = z.infer<typeof apiConfigSchema>;

export interface ApiConfig extends Omit<ApiEnv, 'GRAPHQL_INTROSPECTION' | 'PUBLIC_URL'> {
  PUBLIC_URL: string;
  GRAPHQL_INTROSPECTION: boolean;
  isProduction: boolean;
  dataDir: string;
}

/** Secrets: never logged. */
export const SECRET_KEYS = [
  'MASTER_KEY',
  'SMTP_URL',
  'DATABASE_URL',
  'S3_SECRET_ACCESS_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
] as const;

export const API_CONFIG = Symbol('API_CONFIG');

export function loadApiConfig(env: Record<string, string | undefined> = process.env): Readonly<ApiConfig> {
  const parsed = parseEnv(apiConfigSchema, env);
  const isProduction = parsed.NODE_ENV === 'production';
  return Object.freeze({
    ...parsed,
    PUBLIC_URL: (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ''),
    GRAPHQL_INTROSPECTION: parsed.GRAPHQL_INTROSPECTION ?? !isProduction,
    isProduction,
    dataDir: path.resolve(parsed.DATA_DIR),
  });
}
