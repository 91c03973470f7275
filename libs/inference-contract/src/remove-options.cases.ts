/**
 * The verdict table for removeOptionsSchema: good and bad options in the caller's shape, with the
 * field the first broken rule names. The contract's, the inference service's and the API's tests
 * run the same rows through their own entry points and expect these verdicts. Rows marked
 * "drifted" are ones the API and the inference service once judged differently.
 * (`model` travels beside the options on the wire, and a non-boolean `decontaminate` cannot travel
 * on a proto bool, so their rows are in the contract's own spec.)
 */
export interface RemoveOptionsCase {
  options: Record<string, unknown>;
  /** null: valid. Otherwise the field the check names (e.g. "cropMargin"). */
  refused: string | null;
  note?: string;
}

const ok = (options: Record<string, unknown>, note?: string): RemoveOptionsCase => ({ options, refused: null, note });
const bad = (options: Record<string, unknown>, refused: string, note?: string): RemoveOptionsCase => ({ options, refused, note });

export const REMOVE_OPTIONS_CASES: readonly RemoveOptionsCase[] = [
  ok({}, 'all defaults'),
  ok({ size: 2, type: 'cutout', format: 'jpg', bgColor: '#ffffff', crop: true, cropMargin: '5%', refine: true, quality: 90 }),
  ok({ size: 'preview', type: 'mask', format: 'webp', quality: 1 }),
  ok({ size: 'full', format: 'webp', quality: 100 }),
  ok({ size: 0.25 }),
  ok({ size: 500 }, 'the largest output size'),
  ok({ format: 'jpg', bgColor: '#00ff00ff' }),
  ok({ format: 'jpg', bgColor: '#ffff' }),
  ok({ format: 'jpg', type: 'mask' }, 'a mask needs no colour'),
  ok({ bgColor: '#12345678' }, 'a translucent colour behind a PNG'),
  ok({ crop: true }),
  ok({ crop: true, cropMargin: '0' }),
  ok({ crop: true, cropMargin: '12' }),
  ok({ crop: true, cropMargin: '9999px' }, 'the largest pixel margin'),
  ok({ crop: true, cropMargin: '100%' }),
  ok({ mode: 'standard' }),
  ok({ mode: 'high' }),
  ok({ mode: 'high', type: 'mask', format: 'webp', quality: 80 }, 'mode is not the encoder quality'),
  ok({ decontaminate: false }),
  ok({ decontaminate: true, type: 'mask' }, 'the default, ignored for a mask'),
  ok({ decontaminate: false, bgColor: '#000000', format: 'jpg' }),
  bad({ size: 'huge' }, 'size'),
  bad({ size: -1 }, 'size'),
  bad({ size: 0 }, 'size'),
  bad({ size: 500.5 }, 'size'),
  bad({ size: 600 }, 'size', 'drifted: inference allowed up to 1000 MP'),
  bad({ size: 1000 }, 'size', 'drifted: inference allowed up to 1000 MP'),
  bad({ type: 'grey' }, 'type'),
  bad({ format: 'gif' }, 'format'),
  bad({ bgColor: 'red' }, 'bgColor'),
  bad({ bgColor: '#12345' }, 'bgColor'),
  bad({ bgColor: 'ffffff' }, 'bgColor', 'drifted: inference allowed the colour without #'),
  bad({ bgColor: ' #ffffff' }, 'bgColor', 'drifted: inference trimmed spaces'),
  bad({ format: 'jpg' }, 'bgColor', 'a JPG cut-out needs an opaque colour'),
  bad({ format: 'jpg', bgColor: '#ffffff80' }, 'bgColor'),
  bad({ format: 'jpg', bgColor: '#fff8' }, 'bgColor'),
  bad({ crop: false, cropMargin: '10px' }, 'cropMargin', 'drifted: inference ignored a margin without crop'),
  bad({ cropMargin: '10px' }, 'cropMargin', 'drifted: inference ignored a margin without crop'),
  bad({ crop: true, cropMargin: '12.5' }, 'cropMargin', 'drifted: inference allowed decimals'),
  bad({ crop: true, cropMargin: '2.5%' }, 'cropMargin', 'drifted: inference allowed decimals'),
  bad({ crop: true, cropMargin: '10000px' }, 'cropMargin', 'drifted: inference allowed up to 10000px'),
  bad({ crop: true, cropMargin: ' 12px' }, 'cropMargin', 'drifted: inference trimmed spaces'),
  bad({ crop: true, cropMargin: '150%' }, 'cropMargin'),
  bad({ crop: true, cropMargin: 'ten' }, 'cropMargin'),
  bad({ crop: true, cropMargin: '-5px' }, 'cropMargin'),
  bad({ format: 'png', quality: 80 }, 'quality', 'drifted: inference ignored quality for PNG'),
  bad({ quality: 300 }, 'quality'),
  bad({ format: 'webp', quality: 101 }, 'quality'),
  bad({ format: 'webp', quality: 80.5 }, 'quality'),
  bad({ mode: 'HIGH' }, 'mode', 'caller names are lower case; the API maps its GraphQL enum'),
  bad({ mode: 'ultra' }, 'mode'),
  bad({ mode: 2 }, 'mode'),
  bad({ type: 'mask', decontaminate: false }, 'decontaminate', 'a mask has no colours to clean'),
];
