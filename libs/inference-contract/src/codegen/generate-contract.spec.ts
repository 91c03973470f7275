import { readFileSync } from 'node:fs';
import { GENERATED_FILE, generateContractSource } from './generate-contract';

describe('generated contract', () => {
  it('is up to date with inference.proto (run `npx nx run inference-contract:generate` after editing the .proto)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generateContractSource());
  });
});
