/**
 * npm run bench:credits [-- --json] [--runs 3] [--jobs 300] [--concurrency 8] [--teams 50]
 *
 * How many charged `removeBackground` calls per second the API sustains: every call debits the
 * team's balance row (SELECT … FOR UPDATE) in the transaction that creates the job and its queue
 * message, so the calls of one team are serialised on that row, while calls of different teams
 * are not. Phase "one team": `--jobs` calls from `--concurrency` clients on one team. Phase
 * "N teams": the same number of calls and clients spread round-robin over `--teams` teams.
 * Each phase runs `--runs` times; the headline is the median run with min and max. Real parts:
 * embedded PostgreSQL and the API over HTTP (ROLE=api: jobs are queued and charged, no worker
 * runs them, so the figure is the charging path, not inference). After every run it checks
 * that each team's balance equals its ledger sum and that every job was charged exactly once.
 */
import 'reflect-metadata';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { log, r1, startBenchApi, whole } from './bench-api';
import { CreditsService } from '../src/credits/credits.service';
import { uploadImage } from '../testing/jobs-client';
import { aBenchUser } from './bench-user';
import { aSubjectImage } from '../testing/test-images';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '8' },
    teams: { type: 'string', default: '50' },
  },
});

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

interface RunResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}
interface Spread {
  median: number;
  min: number;
  max: number;
}
const spread = (xs: number[]): Spread => ({ median: quantile(xs, 0.5), min: Math.min(...xs), max: Math.max(...xs) });

async function main(): Promise<void> {
  const runs = whole('runs', args.runs);
  const jobs = whole('jobs', args.jobs);
  const concurrency = whole('concurrency', args.concurrency);
  const teamCount = whole('teams', args.teams);
  log(`bench:credits — ${jobs} charged submits per run, ${concurrency} clients, ${runs} runs, ${os.cpus().length} cores`);
  const bench = await startBenchApi('credits');
  const { api, base, sql } = bench;
  try {
    const { client } = await aBenchUser(base, 'bench-credits');

    // The teams, each funded through the real ledger with one uploaded image reused by its jobs.
    const image = await aSubjectImage('png', 320, 240);
    const teams: { id: string; uploadId: string }[] = [];
    for (let i = 0; i < teamCount; i++) {
      const { createTeam } = await client.ok(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, {
        i: { name: `Bench ${i + 1}` },
      });
      await api.app.get(CreditsService).apply({
        teamId: createTeam.id,
        kind: 'ADMIN_ADJUSTMENT',
        amountQuarters: 4 * 1_000_000,
        reference: `bench-credits-${createTeam.id}`,
        reason: 'bench set-up',
      });
      teams.push({ id: createTeam.id, uploadId: (await uploadImage(client, createTeam.id, image, 'image/png', 'bench.png')).id });
    }

    let key = 0;
    const phase = async (spreadOver: number): Promise<RunResult> => {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < jobs) {
            const team = teams[next++ % spreadOver];
            const t0 = performance.now();
            await client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id creditsCharged } }`, {
              i: { teamId: team.id, uploadId: team.uploadId, idempotencyKey: `bench-${++key}`, options: { size: 'PREVIEW' } },
            });
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const wallMs = performance.now() - started;
      return { perSecond: jobs / (wallMs / 1000), p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
    };

    // Warm-up (connections, plans), not counted.
    await client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id } }`, {
      i: { teamId: teams[0].id, uploadId: teams[0].uploadId, idempotencyKey: 'bench-warm-up', options: { size: 'PREVIEW' } },
    });

    const results: Record<'oneTeam' | 'manyTeams', RunResult[]> = { oneTeam: [], manyTeams: [] };
    for (let run = 1; run <= runs; run++) {
      for (const [name, over] of [
        ['oneTeam', 1],
        ['manyTeams', teamCount],
      ] as const) {
        const r = await phase(over);
        results[name].push(r);
        log(
          `  run ${run} ${name === 'oneTeam' ? 'one team ' : `${teamCount} teams`}: ${r1(r.perSecond)} charges/s, p50 ${r1(r.p50Ms)} ms, p99 ${r1(r.p99Ms)} ms`,
        );
      }
    }

    // Every job charged once, and every balance equal to its ledger sum.
    const [mismatch] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM team_credit_balances b
        WHERE b.available_quarters - b.debt_quarters <> (SELECT COALESCE(sum(amount_quarters), 0) FROM credit_ledger l WHERE l.team_id = b.team_id)`,
    );
    const [charges] = await sql<{ jobs: string; charges: string }>(
      `SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM credit_ledger WHERE kind = 'JOB_CHARGE') AS charges`,
    );
    if (Number(mismatch.n) !== 0 || charges.jobs !== charges.charges) {
      throw new Error(`ledger check failed: ${mismatch.n} balances off their ledger sum; ${charges.jobs} jobs, ${charges.charges} charges`);
    }

    const summary = Object.fromEntries(
      Object.entries(results).map(([name, rs]) => [
        name,
        { perSecond: spread(rs.map((r) => r.perSecond)), p50Ms: spread(rs.map((r) => r.p50Ms)), p99Ms: spread(rs.map((r) => r.p99Ms)) },
      ]),
    ) as Record<'oneTeam' | 'manyTeams', Record<keyof RunResult, Spread>>;
    const line = (label: string, s: Record<keyof RunResult, Spread>) =>
      `${label} ${r1(s.perSecond.median)} charges/s (min ${r1(s.perSecond.min)}, max ${r1(s.perSecond.max)}); ` +
      `p50 ${r1(s.p50Ms.median)} ms (${r1(s.p50Ms.min)}–${r1(s.p50Ms.max)}), p99 ${r1(s.p99Ms.median)} ms (${r1(s.p99Ms.min)}–${r1(s.p99Ms.max)})`;
    console.log(
      `median of ${runs} runs, ${jobs} submits each from ${concurrency} clients; ledger checked: ${charges.charges} charges, 0 mismatches`,
    );
    console.log(line('one team:   ', summary.oneTeam));
    console.log(line(`${teamCount} teams:  `, summary.manyTeams));
    if (args.json) console.log(JSON.stringify({ runs, jobs, concurrency, teams: teamCount, ...summary, perRun: results }));
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
