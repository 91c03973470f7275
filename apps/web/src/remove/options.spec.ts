import { REMOVE_OPTIONS_CASES } from '@cutout/inference-contract';
import { defaultOptions, jobCost, usesCropMargin, usesQuality, validateOptions, type OptionsDraft } from './options';

/** A row of the shared verdict table (caller's shape) as the form would hold it; undefined when a select cannot hold it. */
function toDraft(options: Record<string, unknown>): OptionsDraft | undefined {
  const draft: OptionsDraft = { ...defaultOptions };
  const { size, type, format, bgColor, crop, cropMargin, refine, quality, mode, decontaminate } = options;
  if (size === 'preview' || size === 'full') draft.size = size === 'preview' ? 'PREVIEW' : 'FULL';
  else if (typeof size === 'number') Object.assign(draft, { size: 'CUSTOM', megapixels: String(size) });
  else if (size !== undefined) return undefined;
  if (type === 'cutout' || type === 'mask') draft.type = type === 'mask' ? 'MASK' : 'CUTOUT';
  else if (type !== undefined) return undefined;
  if (format === 'png' || format === 'webp' || format === 'jpg')
    draft.format = format === 'jpg' ? 'JPG' : format === 'webp' ? 'WEBP' : 'PNG';
  else if (format !== undefined) return undefined;
  if (typeof bgColor === 'string') draft.bgColor = bgColor;
  if (typeof crop === 'boolean') draft.crop = crop;
  if (typeof cropMargin === 'string') draft.cropMargin = cropMargin;
  if (typeof refine === 'boolean') draft.refine = refine;
  if (typeof quality === 'number') draft.quality = String(quality);
  if (mode === 'standard' || mode === 'high') draft.high = mode === 'high';
  else if (mode !== undefined) return undefined;
  // The "Clean edge colours" checkbox exists for cut-outs only: a mask cannot hold false.
  if (typeof decontaminate === 'boolean' && !(draft.type === 'MASK' && !decontaminate)) draft.decontaminate = decontaminate;
  else if (decontaminate !== undefined) return undefined;
  return draft;
}

/** Whether the form hides the field for this draft (a value left in it from an earlier choice). */
const hiddenFor = (draft: OptionsDraft, field: string) =>
  (field === 'quality' && !usesQuality(draft)) || (field === 'cropMargin' && !usesCropMargin(draft));

/** The draft's field a shared-table field shows up on. */
const fieldOf = (field: string) => (field === 'size' ? 'megapixels' : field);

describe('validateOptions', () => {
  const rows = REMOVE_OPTIONS_CASES.map((row) => ({ row, draft: toDraft(row.options) })).filter((r) => r.draft !== undefined);

  it('covers most of the shared verdict table (only values a select or a hidden checkbox cannot hold are left out)', () => {
    // size "huge", type "grey", format "gif", modes "HIGH"/"ultra"/2, and decontaminate false on a mask.
    expect(rows.length).toBeGreaterThanOrEqual(REMOVE_OPTIONS_CASES.length - 7);
  });

  it.each(rows.map(({ row, draft }) => [JSON.stringify(row.options), row.refused, draft!] as const))(
    'agrees with the API on %s (refused: %s)',
    (_name, refused, draft) => {
      const { errors, input } = validateOptions(draft);
      if (refused === null) {
        expect(errors).toEqual({});
        expect(input).toBeDefined();
      } else if (hiddenFor(draft, refused)) {
        // A value the form hides (a leftover) is neither refused nor sent, so the API never sees it.
        expect(errors).toEqual({});
        expect(input).toBeDefined();
        expect(input).not.toHaveProperty(refused);
      } else {
        expect(Object.keys(errors)).toContain(fieldOf(refused));
        expect(input).toBeUndefined();
      }
    },
  );

  it('builds the GraphQL input from a valid draft', () => {
    expect(
      validateOptions({
        ...defaultOptions,
        size: 'CUSTOM',
        megapixels: '2',
        format: 'JPG',
        bgColor: '#FFFFFF',
        crop: true,
        cropMargin: '5%',
        quality: '90',
      }),
    ).toEqual({
      errors: {},
      input: { format: 'JPG', type: 'CUTOUT', maxMegapixels: 2, bgColor: '#ffffff', crop: true, cropMargin: '5%', quality: 90 },
    });
    expect(validateOptions(defaultOptions).input).toEqual({ format: 'PNG', type: 'CUTOUT', size: 'FULL' });
    expect(validateOptions({ ...defaultOptions, size: 'PREVIEW', model: 'large', refine: true }).input).toEqual({
      format: 'PNG',
      type: 'CUTOUT',
      size: 'PREVIEW',
      refine: true,
      model: 'large',
    });
  });
});

describe('hidden fields', () => {
  it('ignores a quality left from JPG or WebP once the format is PNG (the field is hidden): no error, not sent', () => {
    expect(validateOptions({ ...defaultOptions, format: 'PNG', quality: '80' })).toEqual({
      errors: {},
      input: { format: 'PNG', type: 'CUTOUT', size: 'FULL' },
    });
    expect(validateOptions({ ...defaultOptions, format: 'PNG', quality: 'junk' }).errors).toEqual({});
    expect(validateOptions({ ...defaultOptions, format: 'WEBP', quality: 'junk' }).errors).toHaveProperty('quality');
  });

  it('ignores a margin while not cropping (the field is hidden): no error, not sent', () => {
    expect(validateOptions({ ...defaultOptions, crop: false, cropMargin: '10px' })).toEqual({
      errors: {},
      input: { format: 'PNG', type: 'CUTOUT', size: 'FULL' },
    });
  });
});

describe('mode and decontaminate', () => {
  it('sends mode HIGH when the switch is on, and nothing for the default STANDARD', () => {
    expect(validateOptions({ ...defaultOptions, high: true }).input).toEqual({ format: 'PNG', type: 'CUTOUT', size: 'FULL', mode: 'HIGH' });
    expect(validateOptions(defaultOptions).input).not.toHaveProperty('mode');
  });

  it('sends decontaminate false for a cut-out with "Clean edge colours" off; never for a mask (the API would refuse it)', () => {
    expect(defaultOptions.decontaminate).toBe(true);
    expect(validateOptions({ ...defaultOptions, decontaminate: false }).input).toMatchObject({ decontaminate: false });
    expect(validateOptions(defaultOptions).input).not.toHaveProperty('decontaminate');
    expect(validateOptions({ ...defaultOptions, type: 'MASK', decontaminate: false })).toEqual({
      errors: {},
      input: { format: 'PNG', type: 'MASK', size: 'FULL' },
    });
  });
});

describe('jobCost', () => {
  const prices = { preview: 0.25, full: 1, previewMaxMegapixels: 0.25, highMultiplier: 2 };
  it('charges HIGH the multiplier times the price of the same result size', () => {
    expect(jobCost(prices, { width: 4000, height: 3000 }, { size: 'FULL', mode: 'HIGH' })).toBe(2);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { size: 'PREVIEW', mode: 'HIGH' })).toBe(0.5);
    expect(jobCost(prices, undefined, { size: 'FULL', mode: 'HIGH' })).toBe(2);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { size: 'FULL', mode: 'STANDARD' })).toBe(1);
  });
  it('charges the preview price when the result is at most 0.25 MP, else the full price', () => {
    expect(jobCost(prices, { width: 400, height: 500 }, { size: 'FULL' })).toBe(0.25);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { size: 'FULL' })).toBe(1);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { size: 'PREVIEW' })).toBe(0.25);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { maxMegapixels: 0.2 })).toBe(0.25);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { maxMegapixels: 2 })).toBe(1);
  });
  it('caps the result at whole pixels as the API does: a cap a fraction of a pixel above 0.25 MP is still the preview price', () => {
    // 0.2500004 MP is 250 000.4 pixels: the API rounds the cap to 250 000 and charges the preview price.
    expect(jobCost(prices, { width: 4000, height: 3000 }, { maxMegapixels: 0.2500004 })).toBe(0.25);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { maxMegapixels: 0.2500004, mode: 'HIGH' })).toBe(0.5);
    expect(jobCost(prices, { width: 4000, height: 3000 }, { maxMegapixels: 0.2500006 })).toBe(1);
  });
  it('assumes the higher price while the image size is unknown', () => {
    expect(jobCost(prices, undefined, { size: 'FULL' })).toBe(1);
    expect(jobCost(prices, undefined, { size: 'PREVIEW' })).toBe(0.25);
  });
});
