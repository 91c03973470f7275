import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { AppError } from '../../common/errors/app-error';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import { startFakeStripe, type FakeStripe } from '../../../testing/fake-stripe.server';
import { stripeEnv } from '../../../testing/billing-client';
import { wsRequest } from '../../../testing/graphql-client';
import { startInferenceProcess, type InferenceProcess } from '../../../testing/inference-process';
import { aFinishedJob, aPersonWithDataEverywhere, type SeededPerson } from '../../../testing/personal-data.seed';
import { dumpDatabase, emailTraces, filesUnder, imageTraces, tracesIn } from '../../../testing/personal-data.traces';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { closeCode } from '../../../testing/ws-recorder';
import { SubjectDataService } from './subject-data.service';

const ME = `{ me { id } }`;
const TEAM_JOBS = `subscription($t: ID!) { teamJobs(teamId: $t) { jobId status } }`;

/** The heart of the privacy issue: after an erasure, no trace of the person anywhere, and every credential dead at once. */
describe('erasing a person', () => {
  let inference: InferenceProcess;
  let stripe: FakeStripe;
  let t: TestApi;
  let subjects: SubjectDataService;
  let person: SeededPerson;
  let ownerJob: { id: string; input: Buffer; result: Buffer };
  const sockets: Client[] = [];

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    stripe = await startFakeStripe();
    t = await startTestApi({ INFERENCE_URLS: inference.address, ...stripeEnv(stripe) });
    subjects = t.api.app.get(SubjectDataService, { strict: false });
    person = await aPersonWithDataEverywhere(t, { stripe });
    ownerJob = await aFinishedJob(person.owner.client, person.owner.personalTeamId);
  }, 240_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await t?.close();
    await stripe?.close();
    await inference?.close();
  });

  const subject = async () => {
    const found = await subjects.resolveSubject(person.user.id);
    if (!found) throw new Error('the person is gone');
    return found;
  };

  it('exports every category held about them, with their images, and nobody else’s email or id', async () => {
    const { sections, files } = await subjects.collectExport(await subject());
    const s = sections as Record<string, any>;
    expect(s.account).toMatchObject({ id: person.user.id, email: person.user.email, emailVerified: true, isPlatformAdmin: false });
    expect(s.teams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: person.user.personalTeamId, role: 'OWNER', personal: true }),
        expect.objectContaining({ id: person.sharedTeamId, name: 'Shared', role: 'ADMIN' }),
      ]),
    );
    expect(s.invitations.received).toEqual([
      expect.objectContaining({ teamName: 'Shared', role: 'MEMBER', acceptedAt: expect.any(Date) }),
      expect.objectContaining({ teamName: 'Other', role: 'MEMBER', acceptedAt: null }),
    ]);
    expect(s.invitations.sent).toEqual([expect.objectContaining({ teamName: 'Shared', role: 'MEMBER' })]);
    expect(s.apiKeys.map((k: { name: string }) => k.name).sort()).toEqual(['personal key', 'shared key']);
    expect(s.jobs.map((j: { id: string }) => j.id).sort()).toEqual(person.jobs.map((j) => j.id).sort());
    expect(s.credits.ledger.map((r: { kind: string }) => r.kind)).toEqual(
      expect.arrayContaining(['TRIAL_GRANT', 'JOB_CHARGE', 'PURCHASE']),
    );
    expect(s.billing.purchases).toEqual([expect.objectContaining({ teamId: person.user.personalTeamId, status: 'PAID', credits: 1 })]);
    expect(s.storage.uploads).toHaveLength(person.jobs.length);
    expect(s.consent).toEqual([expect.objectContaining({ categories: ['STRICTLY_NECESSARY', 'PERFORMANCE'], source: 'BANNER' })]);
    expect(s.policies).toEqual([expect.objectContaining({ kind: 'PRIVACY', version: expect.any(String) })]);
    const auditActions = s.audit.entries.map((e: { action: string }) => e.action);
    expect(auditActions).toEqual(expect.arrayContaining(['MEMBER_ROLE_CHANGED', 'API_KEY_CREATED', 'POLICY_ACCEPTED', 'CONSENT_CHANGED']));
    expect(s.audit.entries.find((e: { action: string }) => e.action === 'MEMBER_ROLE_CHANGED')).toMatchObject({
      subjectUserId: person.user.id,
      teamId: person.sharedTeamId,
    });

    for (const job of person.jobs) {
      const input = files.find((f) => f.path.startsWith(`images/${job.id}/input.`));
      const result = files.find((f) => f.path.startsWith(`images/${job.id}/result.`));
      expect((await input?.read())?.equals(job.input)).toBe(true);
      expect((await result?.read())?.equals(job.result)).toBe(true);
    }
    const json = JSON.stringify(sections);
    for (const secret of [person.personalKey, person.sharedKey, person.owner.email, person.owner.id, person.inviteeEmail]) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/secret_?hash|password_?hash|token_?hash/i);
  });

  it('refuses the last owner of a team with other members (CONFLICT LAST_OWNER) and changes nothing', async () => {
    const owner = await subjects.resolveSubject(person.owner.id);
    const error = await subjects.erase(owner!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', details: { reason: 'LAST_OWNER', teamIds: [person.sharedTeamId] } });
    await expect(subjects.assertErasable(owner!)).rejects.toMatchObject({ details: { reason: 'LAST_OWNER' } });
    expect((await person.owner.client.ok(ME)).me.id).toBe(person.owner.id);
    expect(await t.sql('SELECT 1 FROM memberships WHERE user_id = $1', [person.owner.id])).toHaveLength(3);
  });

  it('refuses while a legal hold is on them (CONFLICT LEGAL_HOLD) and changes nothing', async () => {
    const [hold] = await t.sql<{ id: string }>(
      `INSERT INTO legal_holds (subject_kind, subject_id, reference) VALUES ('USER', $1, 'case 2026-17') RETURNING id`,
      [person.user.id],
    );
    try {
      await expect(subjects.erase(await subject())).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'LEGAL_HOLD', holdId: hold.id },
      });
      expect((await person.user.client.ok(ME)).me.id).toBe(person.user.id);
    } finally {
      await t.sql(`UPDATE legal_holds SET released_at = now() WHERE id = $1`, [hold.id]);
    }
  });

  it('leaves no trace in any table, file or key, kills every credential at once, and leaves others untouched', async () => {
    const { user } = person;
    // Before: open sockets (cookie, API key), the personal team's wrapped data key, a "backup" of its blobs.
    const byCookie = user.client.ws();
    const byKey = t.client().ws({ authorization: `Bearer ${person.sharedKey}` });
    sockets.push(byCookie, byKey);
    // A live subscription on each keeps its socket open; a request over it proves it is connected.
    for (const socket of [byCookie, byKey]) {
      socket.subscribe(
        { query: TEAM_JOBS, variables: { t: person.sharedTeamId } },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    }
    expect((await wsRequest(byCookie, ME)).data?.me.id).toBe(user.id);
    expect((await wsRequest(byKey, `{ teams { edges { node { id } } } }`)).errors).toBeUndefined();
    const closed = [closeCode(byCookie), closeCode(byKey)];
    const wrappedKeys = (
      await t.sql<{ wrapped_key: string }>('SELECT wrapped_key FROM team_data_keys WHERE team_id = $1', [user.personalTeamId])
    ).map((r) => r.wrapped_key);
    expect(wrappedKeys).toHaveLength(1);
    const blobFolder = path.join(t.dataDir, 'blobs', 'teams', user.personalTeamId);
    const backup = mkdtempSync(path.join(tmpdir(), 'cutout-backup-'));
    cpSync(blobFolder, backup, { recursive: true });
    const backedUp = filesUnder(backup);
    expect(backedUp.length).toBeGreaterThanOrEqual(2 * person.jobs.length);

    // The detectors see the person before (their mails hold the address; the dump, the wrapped key).
    const before = await dumpDatabase(t.env.DATABASE_URL);
    expect(
      tracesIn(
        before.bytes,
        wrappedKeys.map((k) => ({ form: 'wrapped data key', needle: Buffer.from(k) })),
      ),
    ).toHaveLength(1);
    expect(filesUnder(t.dataDir).some(({ bytes }) => tracesIn(bytes, emailTraces(user.email)).length > 0)).toBe(true);

    const receipt = await subjects.erase(await subject());

    expect(receipt.counts).toMatchObject({
      'account.users': 1,
      'account.sessions': expect.any(Number),
      'apiKeys.deleted': 2,
      'invitations.deleted': 3,
      'jobs.deleted': person.jobs.length,
      'storage.uploads': person.jobs.length,
      'storage.dataKeysDestroyed': 1,
      'teams.membershipsLeft': 1,
      'teams.teamsKeptAsTombstones': 1,
      'credits.trialGrantKept': 1,
      'billing.stripeCustomers': 1,
    });
    expect(receipt.counts['cleanup.failed']).toBeUndefined();
    expect(JSON.stringify(receipt)).not.toContain(user.email);

    // Every credential answers UNAUTHENTICATED at once; open sockets are closed (4401).
    expect(await user.client.errorCode(ME)).toBe('UNAUTHENTICATED');
    for (const key of [person.personalKey, person.sharedKey]) {
      expect(await t.client().withApiKey(key).errorCode(`{ teams { edges { node { id } } } }`)).toBe('UNAUTHENTICATED');
    }
    expect(await Promise.all(closed)).toEqual([4401, 4401]);
    expect(stripe.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/v1/customers/'))).toBe(true);

    // No trace in any table of any schema (the queue's included) …
    const dump = await dumpDatabase(t.env.DATABASE_URL);
    expect(dump.tables).toEqual(expect.arrayContaining(['public.users', 'public.audit_log']));
    expect(dump.tables.some((name) => name.startsWith('pgboss.'))).toBe(true);
    const traces = [
      ...emailTraces(user.email),
      ...wrappedKeys.map((k) => ({ form: 'wrapped data key', needle: Buffer.from(k) })),
      ...person.jobs.flatMap((j, i) => [...imageTraces(j.input, `input ${i}`), ...imageTraces(j.result, `result ${i}`)]),
    ];
    expect(tracesIn(dump.bytes, traces)).toEqual([]);
    // … nor in any file under the data folder (blobs, mailbox).
    for (const { file, bytes } of filesUnder(t.dataDir)) expect({ file, traces: tracesIn(bytes, traces) }).toEqual({ file, traces: [] });

    // A backup of their blobs, put back, can no longer be decrypted: the key is gone.
    const blobs = t.api.app.get(EncryptedBlobsService, { strict: false });
    cpSync(backup, blobFolder, { recursive: true });
    for (const { file } of backedUp) {
      const blobKey = path.relative(path.join(t.dataDir, 'blobs'), path.join(blobFolder, path.relative(backup, file)));
      await expect(blobs.read(user.personalTeamId, blobKey)).rejects.toThrow();
    }
    rmSync(backup, { recursive: true, force: true });

    // Others: the owner still signs in, keeps their team, jobs and results; the shared team's job stays (team data).
    expect((await person.owner.client.ok(ME)).me.id).toBe(person.owner.id);
    const res = await fetch(
      (
        (await person.owner.client.ok(`query($id: ID!) { job(id: $id) { resultUrl } }`, { id: ownerJob.id })).job.resultUrl as string
      ).replace('localhost', '127.0.0.1'),
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(ownerJob.result)).toBe(true);
    expect(await t.sql('SELECT user_id, role FROM memberships WHERE team_id = $1', [person.sharedTeamId])).toEqual([
      { user_id: person.owner.id, role: 'OWNER' },
    ]);
    expect(await t.sql('SELECT id FROM jobs WHERE id = $1', [person.sharedJobId])).toHaveLength(1);
    expect(await t.sql(`SELECT name FROM teams WHERE id = $1`, [user.personalTeamId])).toEqual([{ name: 'Deleted account' }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM credit_ledger WHERE team_id = $1`, [user.personalTeamId])).toEqual([
      { n: expect.any(Number) },
    ]);
    expect(await subjects.resolveSubject(user.id)).toBeNull();
  });
});
