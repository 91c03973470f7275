/**
 * npm run bench:deletion [-- --json] [--runs 3] [--jobs 1000]
 *
 * How long erasing a person takes (`SubjectDataService.erase`: one transaction over every
 * domain's personal-data source, then the blobs deleted after commit) when their personal team
 * holds `--jobs` finished jobs. Set-up, not timed: a real user (sign-up, verification, sign-in),
 * then the jobs seeded by SQL (an upload row, a job row and a JOB_CHARGE ledger row each) with
 * real encrypted blobs (input and result, under the team's data key) on local disk. Each run
 * erases a fresh user; the headline is the median of `--runs` with min and max. Real parts:
 * embedded PostgreSQL, the API process's services (ROLE=api), the local-disk blob store.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { log, median, r1, startBenchApi, whole } from './bench-api';
import { SubjectDataService } from '../src/privacy/personal-data/subject-data.service';
import { EncryptedBlobsService } from '../src/storage/encrypted-blobs.service';
import { FileNames } from '../src/storage/file-names';
import { aBenchUser } from './bench-user';
import { aNoisyImage, aSubjectImage } from '../testing/test-images';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '1000' },
  },
});

async function main(): Promise<void> {
  const runs = whole('runs', args.runs);
  const jobCount = whole('jobs', args.jobs);
  log(`bench:deletion — erase a user with ${jobCount} jobs (${2 * jobCount} blobs), ${runs} runs, ${os.cpus().length} cores`);
  const bench = await startBenchApi('deletion');
  const { api, base, sql } = bench;
  const dataDir = bench.config.dataDir;
  const blobs = api.app.get(EncryptedBlobsService, { strict: false });
  const subjects = api.app.get(SubjectDataService, { strict: false });
  const input = await aNoisyImage(160, 120);
  const result = await aSubjectImage('png', 160, 120);
  try {
    const timings: number[] = [];
    let counts: Record<string, number> = {};
    for (let run = 1; run <= runs; run++) {
      const { client } = await aBenchUser(base, `bench-deletion-${run}`);
      const { me } = await client.ok(`{ me { id } }`);
      const { teams } = await client.ok(`{ teams { edges { node { id personal } } } }`);
      const teamId = teams.edges.find((e: { node: { personal: boolean } }) => e.node.personal).node.id as string;
      const seeding = performance.now();
      // Rows as the API writes them: the file name sealed under the team's key.
      const filenameSealed = await api.app.get(FileNames, { strict: false }).seal(teamId, 'photo.png');
      for (let i = 0; i < jobCount; i++) {
        const uploadId = randomUUID();
        const jobId = randomUUID();
        const inputKey = EncryptedBlobsService.key(teamId, 'uploads', uploadId);
        const resultKey = EncryptedBlobsService.key(teamId, 'results', jobId);
        await blobs.put(teamId, inputKey, input);
        await blobs.put(teamId, resultKey, result);
        await sql(
          `INSERT INTO uploads (id, team_id, status, filename_sealed, declared_content_type, declared_bytes, expires_at, blob_key,
                                content_type, width, height, bytes, uploaded_at)
           VALUES ($1, $2, 'UPLOADED', $5, 'image/png', $3, now() + interval '1 day', $4, 'image/png', 160, 120, $3, now())`,
          [uploadId, teamId, input.length, inputKey, filenameSealed],
        );
        await sql(
          `INSERT INTO jobs (id, team_id, upload_id, idempotency_key, status, stage, progress, options, input_filename_sealed, input_blob_key,
                             input_content_type, input_width, input_height, input_bytes, result_blob_key, result_content_type,
                             result_width, result_height, result_bytes, queued_at, started_at, finished_at, credits_charged_quarters)
           VALUES ($1::uuid, $2, $3, $1::text, 'SUCCEEDED', 'STORED', 1, '{}', $8, $4, 'image/png', 160, 120, $5, $6, 'image/png',
                   160, 120, $7, now(), now(), now(), 1)`,
          [jobId, teamId, uploadId, inputKey, input.length, resultKey, result.length, filenameSealed],
        );
        await sql(
          `INSERT INTO credit_ledger (team_id, amount_quarters, kind, reference, actor_user_id) VALUES ($1, -1, 'JOB_CHARGE', $2, $3)`,
          [teamId, jobId, me.id],
        );
      }
      log(`  run ${run}: seeded ${jobCount} jobs in ${r1((performance.now() - seeding) / 1000)} s (not timed)`);

      const subject = await subjects.resolveSubject(me.id);
      if (!subject) throw new Error('the bench user is missing');
      const started = performance.now();
      const receipt = await subjects.erase(subject);
      const ms = performance.now() - started;
      timings.push(ms);
      counts = receipt.counts;
      const left = fs.existsSync(path.join(dataDir, 'blobs', 'teams', teamId));
      const [rows] = await sql<{ n: string }>('SELECT count(*) AS n FROM jobs WHERE team_id = $1', [teamId]);
      if (left || Number(rows.n) !== 0 || counts['jobs.deleted'] !== jobCount) {
        throw new Error(`erase left data: blobs folder ${left ? 'present' : 'gone'}, ${rows.n} jobs, receipt ${JSON.stringify(counts)}`);
      }
      log(`  run ${run}: erased in ${r1(ms)} ms`);
    }
    console.log(
      `erase of a user with ${jobCount} jobs (${2 * jobCount} blobs, local disk): median ${r1(median(timings))} ms ` +
        `(min ${r1(Math.min(...timings))}, max ${r1(Math.max(...timings))}) over ${runs} runs; checked: no job row, no blob left`,
    );
    if (args.json) console.log(JSON.stringify({ runs, jobs: jobCount, ms: timings, counts }));
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
