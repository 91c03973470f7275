/**
 * npm run bench:retention [-- --json] [--runs 3] [--jobs 10000] [--age-days 8]
 *
 * How long one run of the retention sweeper (`RetentionSweeperService.sweepOnce()`, every task)
 * takes when `--jobs` finished jobs have results past their team's retention (default policy:
 * results 7 days, so `--age-days 8` expires the results and keeps the records; `--age-days 91`
 * expires the records too). Before each run (not timed) the jobs are inserted with SQL and each
 * gets a real encrypted result blob on the local disk store. The timed sweep clears the rows in
 * batches and deletes every blob; after each run the bench checks that no expired result row or
 * blob is left. Real parts: embedded PostgreSQL, the API's own services (ROLE=api, no worker,
 * no schedule). Prints the median, min and max of `--runs` runs in ms.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { log, median, startBenchApi, whole } from './bench-api';
import { RetentionSweeperService } from '../src/privacy/retention/retention-sweeper.service';
import { EncryptedBlobsService } from '../src/storage/encrypted-blobs.service';
import { FileNames } from '../src/storage/file-names';
import { aBenchUser } from './bench-user';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '10000' },
    'age-days': { type: 'string', default: '8' },
  },
});

async function main(): Promise<void> {
  const runs = whole('runs', args.runs);
  const jobs = whole('jobs', args.jobs);
  const ageDays = whole('age-days', args['age-days']);
  log(
    `bench:retention — one sweep of ${jobs} finished jobs ${ageDays} days old with result blobs, ${runs} runs, ${os.cpus().length} cores`,
  );
  // ROLE=api (startBenchApi's default): no worker, so no scheduled sweep runs besides the timed one.
  const bench = await startBenchApi('retention');
  const { api, config, sql, base } = bench;
  const blobs = api.app.get(EncryptedBlobsService);
  const sweeper = api.app.get(RetentionSweeperService);
  const resultsDir = (teamId: string) => path.join(config.dataDir, 'blobs', 'teams', teamId, 'results');
  try {
    const { client } = await aBenchUser(base, 'bench-retention');
    const { teams } = await client.ok(`{ teams { edges { node { id personal } } } }`);
    const teamId: string = teams.edges.find((e: { node: { personal: boolean } }) => e.node.personal).node.id;
    const result = randomBytes(2048);
    // Rows as the API writes them: the file name sealed (a plaintext one would also make the sweep seal it).
    const filenameSealed = await api.app.get(FileNames, { strict: false }).seal(teamId, 'bench.png');

    const seed = async (run: number) => {
      const rows = await sql<{ id: string }>(
        `INSERT INTO jobs (team_id, idempotency_key, status, stage, progress, options, input_filename_sealed, input_blob_key, input_content_type,
                           input_width, input_height, input_bytes, result_blob_key, result_content_type, result_width, result_height,
                           result_bytes, attempt, queued_at, started_at, finished_at)
         SELECT $1, 'bench-' || $2 || '-' || n, 'SUCCEEDED', 'STORED', 1, '{"size":"preview","type":"cutout","format":"png","crop":false,"refine":false}',
                $5::bytea, NULL, 'image/png', 64, 64, 1000, 'pending', 'image/png', 64, 64, 2048, 1,
                now() - make_interval(days => $3), now() - make_interval(days => $3), now() - make_interval(days => $3)
           FROM generate_series(1, $4) AS n RETURNING id`,
        [teamId, run, ageDays, jobs, filenameSealed],
      );
      await sql(`UPDATE jobs SET result_blob_key = 'teams/' || team_id || '/results/' || id || '-1.png' WHERE result_blob_key = 'pending'`);
      const queue = rows.map((r) => `teams/${teamId}/results/${r.id}-1.png`);
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let key = queue.pop(); key; key = queue.pop()) await blobs.put(teamId, key, result);
        }),
      );
    };

    const timings: number[] = [];
    for (let run = 1; run <= runs; run++) {
      await seed(run);
      const before = fs.readdirSync(resultsDir(teamId)).length;
      const started = performance.now();
      const report = await sweeper.sweepOnce();
      const ms = performance.now() - started;
      const [left] = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM jobs WHERE result_blob_key IS NOT NULL AND finished_at < now() - interval '7 days'`,
      );
      const blobsLeft = fs.readdirSync(resultsDir(teamId)).length;
      if (Number(left.n) !== 0 || blobsLeft !== 0 || report.failed.length)
        throw new Error(`run ${run}: ${left.n} expired results and ${blobsLeft} blobs left; failed tasks: ${report.failed.join(', ')}`);
      timings.push(ms);
      log(`  run ${run}: ${Math.round(ms)} ms (${before} blobs; counts ${JSON.stringify(report.counts)})`);
    }
    const figures = {
      medianMs: Math.round(median(timings)),
      minMs: Math.round(Math.min(...timings)),
      maxMs: Math.round(Math.max(...timings)),
    };
    console.log(
      `one sweep of ${jobs} expired jobs with result blobs: median ${figures.medianMs} ms (min ${figures.minMs}, max ${figures.maxMs}) over ${runs} runs`,
    );
    if (args.json) console.log(JSON.stringify({ jobs, ageDays, runs, ...figures, perRunMs: timings.map(Math.round) }));
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
