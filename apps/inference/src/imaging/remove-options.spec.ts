import { OutputFormat, OutputType, RemovalMode, SizePreset, toOutputOptions } from '@cutout/inference-contract';
import { InferenceFailure } from '../errors/inference-failure';
import { parseHexColor, parseRemoveOptions, PREVIEW_PIXELS } from './remove-options';

describe('parseRemoveOptions', () => {
  it('defaults to a full-size PNG cut-out', () => {
    expect(parseRemoveOptions(undefined)).toEqual({
      maxPixels: undefined,
      type: 'cutout',
      format: 'png',
      bgColor: undefined,
      crop: false,
      cropMargin: { value: 0, unit: 'px' },
      refine: false,
      quality: undefined,
      mode: 'standard',
      decontaminate: true,
    });
  });

  it('maps mode and decontaminate (negated on the wire, so an unset field means on)', () => {
    expect(parseRemoveOptions(toOutputOptions({ mode: 'high', decontaminate: false }))).toMatchObject({
      mode: 'high',
      decontaminate: false,
    });
    expect(parseRemoveOptions({ ...toOutputOptions(), mode: RemovalMode.UNSPECIFIED, noDecontaminate: false })).toMatchObject({
      mode: 'standard',
      decontaminate: true,
    });
  });

  it('maps the caller-side options', () => {
    expect(
      parseRemoveOptions(
        toOutputOptions({ size: 'preview', type: 'mask', format: 'webp', crop: true, cropMargin: '5%', refine: true, quality: 80 }),
      ),
    ).toMatchObject({
      maxPixels: PREVIEW_PIXELS,
      type: 'mask',
      format: 'webp',
      crop: true,
      cropMargin: { value: 5, unit: '%' },
      refine: true,
      quality: 80,
    });
    expect(parseRemoveOptions(toOutputOptions({ size: 2.5, crop: true, cropMargin: '12' })).maxPixels).toBe(2_500_000);
    expect(parseRemoveOptions(toOutputOptions({ crop: true, cropMargin: '12px' })).cropMargin).toEqual({ value: 12, unit: 'px' });
  });

  it.each([
    [{ size: SizePreset.CUSTOM, maxMegapixels: 0 }, /^options\.size: /],
    [{ size: 99 as SizePreset }, /^options\.size: /],
    [{ type: 7 as OutputType }, /^options\.type: /],
    [{ format: 9 as OutputFormat }, /^options\.format: /],
    [{ format: OutputFormat.JPG, bgColor: '#ffffff80' }, /^options\.bgColor: JPG has no transparency/],
    [{ bgColor: '#12345' }, /^options\.bgColor: bgColor must be a hex colour/],
    [{ crop: true, cropMargin: 'ten' }, /^options\.cropMargin: /],
    [{ mode: 5 as RemovalMode }, /^options\.mode: /],
    [{ type: OutputType.MASK, noDecontaminate: true }, /^options\.decontaminate: decontaminate applies to cut-outs only/],
  ])('refuses %j', (options, message) => {
    const call = () => parseRemoveOptions({ ...toOutputOptions(), ...options });
    expect(call).toThrow(InferenceFailure);
    expect(call).toThrow(message);
  });

  it('accepts a JPG mask without a colour, and a JPG cut-out over an opaque colour', () => {
    expect(parseRemoveOptions(toOutputOptions({ format: 'jpg', type: 'mask' })).format).toBe('jpg');
    expect(parseRemoveOptions(toOutputOptions({ format: 'jpg', bgColor: '#fff' })).bgColor).toEqual({ r: 255, g: 255, b: 255, a: 1 });
  });
});

describe('parseHexColor', () => {
  it.each([
    ['#f00', { r: 255, g: 0, b: 0, a: 1 }],
    ['#f008', { r: 255, g: 0, b: 0, a: 0x88 / 255 }],
    ['00ff00', { r: 0, g: 255, b: 0, a: 1 }],
    ['#0000ff00', { r: 0, g: 0, b: 255, a: 0 }],
  ])('%s', (hex, rgba) => expect(parseHexColor(hex)).toEqual(rgba));
});
