import type { RemoveOptionsInput } from './cli-args';
import { canonicalJson, idempotencyKey } from './idempotency-key';

const options: RemoveOptionsInput = { size: 'FULL', type: 'CUTOUT', format: 'PNG', crop: false, refine: false };
const bytes = Buffer.from('the image bytes');

describe('idempotencyKey', () => {
  it('is stable for the same content and options, whatever the key order', () => {
    const reordered = { refine: false, crop: false, format: 'PNG', type: 'CUTOUT', size: 'FULL' } as RemoveOptionsInput;
    expect(idempotencyKey(bytes, options)).toBe(idempotencyKey(Buffer.from('the image bytes'), reordered));
    expect(idempotencyKey(bytes, options)).toBe(idempotencyKey(bytes, { ...options, model: undefined }));
  });

  it('changes with the content or any option', () => {
    const key = idempotencyKey(bytes, options);
    expect(idempotencyKey(Buffer.from('other bytes'), options)).not.toBe(key);
    expect(idempotencyKey(bytes, { ...options, format: 'WEBP' })).not.toBe(key);
    expect(idempotencyKey(bytes, { ...options, crop: true })).not.toBe(key);
    expect(idempotencyKey(bytes, { ...options, bgColor: '#fff' })).not.toBe(key);
  });

  it('fits the API rule for keys', () => {
    expect(idempotencyKey(bytes, options)).toMatch(/^cli-[0-9a-f]{64}$/);
    expect(idempotencyKey(bytes, options)).toMatch(/^[\w.:-]{1,128}$/);
  });

  it('serialises canonically', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }] })).toBe('{"a":[2,{"c":"x"}],"b":1}');
  });
});
