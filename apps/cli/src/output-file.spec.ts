import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planOutputs, writeOutput } from './output-file';

describe('output files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cutout-cli-output-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const at = (name: string) => path.join(dir, name);

  it('refuses an output that is an input through another name (a hard link), even with overwrite', async () => {
    writeFileSync(at('a.png'), 'a');
    writeFileSync(at('b.png'), 'b');
    linkSync(at('b.png'), at('a-cutout.png'));
    const [plan] = await planOutputs([at('a.png'), at('b.png')], undefined, 'png', true);
    expect(plan.error?.code).toBe('OUTPUT_IS_INPUT');
  });

  it('refuses an existing folder even with overwrite, and plans free paths', async () => {
    mkdirSync(at('a-cutout.png'));
    const plans = await planOutputs([at('a.png'), at('b.png')], undefined, 'png', true);
    expect(plans[0].error?.code).toBe('OUTPUT_EXISTS');
    expect(plans[1]).toEqual({ output: at('b-cutout.png') });
  });

  it('writes without replacing unless asked, leaving no temporary file', async () => {
    await writeOutput(at('out/x-cutout.png'), Buffer.from('one'), false);
    await expect(writeOutput(at('out/x-cutout.png'), Buffer.from('two'), false)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readFileSync(at('out/x-cutout.png'), 'utf8')).toBe('one');
    await writeOutput(at('out/x-cutout.png'), Buffer.from('three'), true);
    expect(readFileSync(at('out/x-cutout.png'), 'utf8')).toBe('three');
    expect(readdirSync(at('out'))).toEqual(['x-cutout.png']);
  });
});
