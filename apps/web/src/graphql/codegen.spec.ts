import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Regenerates the typed documents in memory (in a child Node process: the codegen CLI loads
 * ES modules that Jest's module runtime cannot) and compares them with the committed files.
 */
function generateInMemory(): { filename: string; content: string }[] {
  const script = `
    require('@swc-node/register');
    const { generate } = require('@graphql-codegen/cli');
    const { codegenConfig } = require(${JSON.stringify(join(__dirname, '../../codegen.ts'))});
    generate(codegenConfig, false).then(
      (outputs) => process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content })))),
      (error) => { console.error(error); process.exit(1); },
    );`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: join(__dirname, '../../../..'),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as { filename: string; content: string }[];
}

describe('generated GraphQL types', () => {
  it('match the committed schema and documents (run `npm run codegen:web` when this fails)', () => {
    const outputs = generateInMemory();
    expect(outputs.map((o) => o.filename.replace(/^.*\/generated\//, '')).sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts']);
    for (const output of outputs) {
      const committed = readFileSync(output.filename, 'utf8');
      expect({ file: output.filename, content: committed }).toEqual({ file: output.filename, content: output.content });
    }
  });
});
