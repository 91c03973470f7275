import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aSignedInUser, anApiKey } from '../testing/builders';
import { startInferenceProcess } from '../testing/inference-process';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi } from '../testing/test-api';

it('tty', async () => {
  const inference = await startInferenceProcess({ model: 'tiny' });
  const t = await startTestApi({ INFERENCE_URLS: inference.address });
  const owner = await aSignedInUser(t, 'tty');
  const key = await anApiKey(owner, owner.personalTeamId);
  const dir = mkdtempSync(path.join(tmpdir(), 'tty-'));
  for (const n of ['a', 'b', 'c']) writeFileSync(path.join(dir, `${n}.png`), await aSubjectImage('png', 640, 480));
  writeFileSync(path.join(dir, 'x.txt'), 'hi');
  const cmd = `node -r @swc-node/register apps/cli/src/main.ts remove ${dir}/a.png ${dir}/b.png ${dir}/c.png ${dir}/x.txt --api-key ${key} --api-url ${t.url} --refine`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: path.join(__dirname, '../../..'), encoding: 'utf8' });
  writeFileSync('/tmp/tty-out.txt', r.stdout + r.stderr);
  await t.close();
  await inference.close();
}, 120_000);
