import { CreditsService } from '../src/credits/credits.service';
import { aFundedTeam, aSignedInUser, type SignedInUser } from './builders';
import type { GraphqlResponse } from './graphql-client';
import { startInferenceProcess, type InferenceProcess } from './inference-process';
import { REMOVE } from './jobs-client';
import { ledgerProblems } from './ledger-checks';
import { aSubjectImage } from './test-images';
import { startTestApi, type TestApi } from './test-api';
import { startTestWorker } from './test-worker';

export const CANCEL_JOB = `mutation($i: CancelJobInput!) { cancelJob(input: $i) { status creditsCharged creditsRefunded } }`;

/** A ledger row of a job: its charge, in quarter credits. */
export const charge = (quarters: number) => ({ kind: 'JOB_CHARGE', amount_quarters: -quarters });
/** A ledger row of a job: its refund, in quarter credits. */
export const refund = (quarters: number) => ({ kind: 'JOB_REFUND', amount_quarters: quarters });

export interface PaidJobsWorldOptions {
  /** Name of the signed-in owner who funds every team and submits every job. */
  ownerName: string;
  /** JOB_MAX_ATTEMPTS of the API and of every worker (2 lets a job whose worker died run again). */
  maxAttempts: number;
  /** The removeBackground mutation that `submit` sends: its selection is what a submitted job answers. */
  removeMutation?: string;
}

export interface PaidJobsWorld {
  readonly t: TestApi;
  readonly inference: InferenceProcess;
  readonly owner: SignedInUser;
  /** A 640×480 PNG, base64: 0.31 MP, the full price (1 credit) unless capped. */
  readonly fullImage: string;
  /** The queue settings the API and every worker run with. */
  readonly queueEnv: Record<string, string>;
  /** A new team of the owner holding `credits`; its ledger is checked after every test. */
  aTeamWith(credits: number): Promise<string>;
  balance(teamId: string): ReturnType<CreditsService['balance']>;
  /** removeBackground of an inline image (the 640×480 one unless given), idempotency key `key`. */
  submit(
    teamId: string,
    key: string,
    options?: Record<string, unknown>,
    imageBase64?: string,
  ): Promise<GraphqlResponse<Record<string, any>>>;
  /** submit, failing the test on any error; the job it answers. */
  submitted(teamId: string, key: string, options?: Record<string, unknown>, imageBase64?: string): Promise<Record<string, any>>;
  /** The job's ledger rows, oldest first (compare with `charge` and `refund`). */
  ledgerOf(jobId: string): Promise<{ kind: string; amount_quarters: number }[]>;
  /** Runs `work` while a worker (in this process, on the same database and inference) takes jobs. */
  withWorker<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Jobs paid with credits, through the real path: the real inference service with the tiny model,
 * an API replica with ROLE=api (jobs wait until a test starts a worker), a signed-in owner and the
 * real ledger. Registers the describe block's beforeAll/afterAll, and an afterEach that checks that
 * each team's balance equals its ledger's sum and every job's charge and refund add up.
 */
export function usePaidJobsWorld({ ownerName, maxAttempts, removeMutation = REMOVE }: PaidJobsWorldOptions): PaidJobsWorld {
  let inference: InferenceProcess | undefined;
  let t: TestApi | undefined;
  let owner: SignedInUser | undefined;
  let fullImage: string | undefined;
  const teams = new Set<string>();
  const queueEnv = {
    JOB_MAX_ATTEMPTS: String(maxAttempts),
    JOB_RETRY_DELAY_SECONDS: '0',
    JOB_HEARTBEAT_SECONDS: '10',
    QUEUE_MONITOR_SECONDS: '1',
  };

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ ROLE: 'api', INFERENCE_URLS: inference.address, ...queueEnv });
    owner = await aSignedInUser(t, ownerName);
    fullImage = (await aSubjectImage('png', 640, 480)).toString('base64');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });
  afterEach(async () => {
    for (const teamId of teams) expect(await ledgerProblems(world.t, teamId)).toEqual([]);
  });

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the paid-jobs world has no ${name}: use it inside a test, after beforeAll`);
    return value;
  };
  const world: PaidJobsWorld = {
    get t() {
      return started(t, 'API');
    },
    get inference() {
      return started(inference, 'inference service');
    },
    get owner() {
      return started(owner, 'owner');
    },
    get fullImage() {
      return started(fullImage, 'image');
    },
    queueEnv,
    async aTeamWith(credits) {
      const teamId = await aFundedTeam(world.t, world.owner, credits);
      teams.add(teamId);
      return teamId;
    },
    balance: (teamId) => world.t.api.app.get(CreditsService).balance(teamId),
    submit: (teamId, key, options, imageBase64 = world.fullImage) =>
      world.owner.client.gql(removeMutation, { i: { teamId, imageBase64, filename: `${key}.png`, idempotencyKey: key, options } }),
    async submitted(teamId, key, options, imageBase64) {
      const res = await world.submit(teamId, key, options, imageBase64);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.removeBackground as Record<string, any>;
    },
    ledgerOf: (jobId) =>
      world.t.sql<{ kind: string; amount_quarters: number }>(
        'SELECT kind, amount_quarters FROM credit_ledger WHERE reference = $1 ORDER BY created_at, kind',
        [jobId],
      ),
    async withWorker(work) {
      const worker = await startTestWorker(world.t, { INFERENCE_URLS: world.inference.address, ...queueEnv });
      try {
        return await work();
      } finally {
        await worker.close();
      }
    },
  };
  return world;
}
