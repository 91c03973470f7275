import { OutputFormat, OutputType, RemovalMode, SizePreset } from './generated/inference.generated';
import { fromOutputOptions, toOutputOptions } from './inference.options';
import { REMOVE_OPTIONS_CASES } from './remove-options.cases';
import { checkRemoveOptions, type RemoveOptionsInput } from './remove-options.schema';

const verdict = (raw: unknown) => {
  const checked = checkRemoveOptions(raw);
  return checked.ok ? null : checked.issue.path.join('.');
};

describe('removeOptionsSchema', () => {
  it('fills the defaults', () => {
    expect(checkRemoveOptions(undefined)).toEqual({
      ok: true,
      options: { size: 'full', type: 'cutout', format: 'png', crop: false, refine: false, mode: 'standard', decontaminate: true },
    });
    expect(checkRemoveOptions(null)).toEqual(checkRemoveOptions({}));
  });

  it.each(REMOVE_OPTIONS_CASES.map((c) => [JSON.stringify(c.options), c.refused ?? 'nothing', c]))('%s: refuses %s', (_name, _field, c) => {
    expect(verdict(c.options)).toBe(c.refused);
  });

  it('keeps valid options as given (normalised with defaults)', () => {
    const options = {
      size: 2,
      type: 'cutout',
      format: 'jpg',
      bgColor: '#ffffff',
      crop: true,
      cropMargin: '5%',
      refine: true,
      quality: 90,
      mode: 'high',
      decontaminate: false,
      model: 'medium',
    };
    expect(checkRemoveOptions(options)).toEqual({ ok: true, options });
  });

  it('names the field and says what is wrong, never throwing', () => {
    expect(checkRemoveOptions({ crop: true, cropMargin: '12.5' })).toEqual({
      ok: false,
      issue: { path: ['cropMargin'], message: 'cropMargin is pixels ("12", "12px") or a percentage ("5%")' },
    });
    expect(checkRemoveOptions('not an object')).toMatchObject({ ok: false, issue: { path: [] } });
  });

  it.each([
    [{ model: 'medium' }, null],
    [{ model: 'u2net_human-seg.v2' }, null],
    [{ model: '../../etc/passwd' }, 'model'],
    [{ model: '' }, 'model'],
    [{ decontaminate: 'no' }, 'decontaminate'],
    [{ decontaminate: 0 }, 'decontaminate'],
    [{ decontaminate: null }, 'decontaminate'],
  ])('%j: refuses %s', (options, field) => expect(verdict(options)).toBe(field));
});

describe('options on the wire and back', () => {
  it.each(REMOVE_OPTIONS_CASES.filter((c) => c.refused === null).map((c) => [JSON.stringify(c.options), c.options]))(
    '%s comes back as the same checked options',
    (_name, options) => {
      expect(checkRemoveOptions(fromOutputOptions(toOutputOptions(options as RemoveOptionsInput)))).toEqual(checkRemoveOptions(options));
    },
  );

  it('reads proto3 zero values as "not given"', () => {
    expect(fromOutputOptions(undefined)).toEqual({});
    expect(
      fromOutputOptions({
        size: SizePreset.UNSPECIFIED,
        type: OutputType.UNSPECIFIED,
        format: OutputFormat.UNSPECIFIED,
        bgColor: '',
        cropMargin: '',
        quality: 0,
        mode: RemovalMode.UNSPECIFIED,
        noDecontaminate: false,
      }),
    ).toEqual({});
  });

  it('sends a value the wire has no word for as UNRECOGNIZED, which the check refuses', () => {
    const wire = toOutputOptions({ size: 'huge', type: 'grey', format: 'gif', mode: 'ultra' } as unknown as RemoveOptionsInput);
    expect(wire).toMatchObject({
      size: SizePreset.UNRECOGNIZED,
      type: OutputType.UNRECOGNIZED,
      format: OutputFormat.UNRECOGNIZED,
      mode: RemovalMode.UNRECOGNIZED,
    });
    expect(fromOutputOptions(wire)).toMatchObject({
      size: 'unknown size -1',
      type: 'unknown type -1',
      format: 'unknown format -1',
      mode: 'unknown mode -1',
    });
    expect(verdict(fromOutputOptions({ format: 9 as OutputFormat }))).toBe('format');
    expect(verdict(fromOutputOptions({ mode: 7 as RemovalMode }))).toBe('mode');
  });

  it('carries mode, and decontaminate negated so that an unset field means on', () => {
    expect(toOutputOptions({})).toMatchObject({ mode: RemovalMode.STANDARD, noDecontaminate: false });
    expect(toOutputOptions({ mode: 'high', decontaminate: true })).toMatchObject({ mode: RemovalMode.HIGH, noDecontaminate: false });
    expect(toOutputOptions({ decontaminate: false })).toMatchObject({ noDecontaminate: true });
    expect(fromOutputOptions({ mode: RemovalMode.HIGH, noDecontaminate: true })).toEqual({ mode: 'high', decontaminate: false });
    // A request from a client that predates the fields: both defaults.
    expect(checkRemoveOptions(fromOutputOptions({ format: OutputFormat.PNG }))).toMatchObject({
      ok: true,
      options: { mode: 'standard', decontaminate: true },
    });
  });

  it('cannot carry an empty colour or margin, or quality 0: they are refused by the check and read as "not given" on the wire', () => {
    for (const options of [{ bgColor: '' }, { crop: true, cropMargin: '' }, { format: 'webp', quality: 0 }]) {
      expect(verdict(options)).not.toBeNull();
      expect(verdict(fromOutputOptions(toOutputOptions(options as RemoveOptionsInput)))).toBeNull();
    }
  });
});
