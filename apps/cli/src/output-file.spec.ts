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

  it('does not send numbered results of an earlier run, or results in another format, and names the input each belongs to', async () => {
    // Regression (review): only `a-cutout.png` was recognised, so a re-run sent (and paid for) `a-cutout-2.png`.
    const files = ['a.jpg', 'a.png', 'a-cutout.png', 'a-cutout-2.png', 'b.png', 'b-cutout.webp', 'c-cutout.png'].map(at);
    for (const f of files) writeFileSync(f, 'x');
    const plans = await planOutputs(files, undefined, 'png', true);
    const refused = plans.map((p, i) => [
      path.basename(files[i]),
      p.error?.code ?? null,
      p.error?.message.split(' is where ')[1]?.split("'s")[0],
    ]);
    expect(refused).toEqual([
      ['a.jpg', null, undefined],
      ['a.png', null, undefined],
      ['a-cutout.png', 'INPUT_IS_RESULT', at('a.jpg')],
      ['a-cutout-2.png', 'INPUT_IS_RESULT', at('a.png')],
      ['b.png', null, undefined],
      ['b-cutout.webp', 'INPUT_IS_RESULT', at('b.png')],
      // No input `c.*` in the run: an ordinary photo of that name is sent.
      ['c-cutout.png', null, undefined],
    ]);
    expect(plans.slice(0, 2)).toEqual([{ output: at('a-cutout.png') }, { output: at('a-cutout-2.png') }]);
  });

  it('refuses every file before anything is sent when --out cannot be a folder (OUTPUT_UNWRITABLE), and makes a missing one', async () => {
    // Regression (review): a file named like --out was found only when the first result was written, after its job was charged.
    writeFileSync(at('a.png'), 'a');
    writeFileSync(at('notadir'), 'x');
    const plans = await planOutputs([at('a.png')], at('notadir'), 'png', false);
    expect(plans[0].error).toMatchObject({ code: 'OUTPUT_UNWRITABLE', message: expect.stringContaining('nothing was sent') });
    expect(await planOutputs([at('a.png')], at('made/here'), 'png', false)).toEqual([{ output: at('made/here/a-cutout.png') }]);
    expect(readdirSync(at('made'))).toEqual(['here']);
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
