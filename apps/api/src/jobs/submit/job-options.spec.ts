import { REMOVE_OPTIONS_CASES } from '@cutout/inference-contract';
import { AppError } from '../../common/errors/app-error';
import { parseJobOptions } from './job-options';

const fieldOf = (input: unknown) => {
  try {
    parseJobOptions(input);
    return undefined;
  } catch (e) {
    expect((e as AppError).code).toBe('BAD_USER_INPUT');
    return (e as AppError).details.field;
  }
};

describe('job options', () => {
  it('fills remove.bg-like defaults', () => {
    expect(parseJobOptions(undefined)).toEqual({
      size: 'full',
      type: 'cutout',
      format: 'png',
      crop: false,
      refine: false,
      mode: 'standard',
      decontaminate: true,
    });
  });

  it('accepts a full set of valid options', () => {
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
    expect(parseJobOptions(options)).toEqual(options);
    expect(parseJobOptions({ format: 'jpg', bgColor: '#00ff00ff' }).bgColor).toBe('#00ff00ff');
    expect(parseJobOptions({ format: 'jpg', bgColor: '#ffff' }).bgColor).toBe('#ffff');
    expect(parseJobOptions({ format: 'jpg', type: 'mask' }).format).toBe('jpg');
  });

  it.each([
    [{ size: 'huge' }, 'options.size'],
    [{ size: -1 }, 'options.size'],
    [{ format: 'gif' }, 'options.format'],
    [{ bgColor: 'red' }, 'options.bgColor'],
    [{ format: 'jpg' }, 'options.bgColor'],
    [{ format: 'jpg', bgColor: '#ffffff80' }, 'options.bgColor'],
    [{ format: 'jpg', bgColor: '#fff8' }, 'options.bgColor'],
    [{ crop: false, cropMargin: '10px' }, 'options.cropMargin'],
    [{ crop: true, cropMargin: '150%' }, 'options.cropMargin'],
    [{ crop: true, cropMargin: 'ten' }, 'options.cropMargin'],
    [{ format: 'png', quality: 80 }, 'options.quality'],
    [{ format: 'webp', quality: 0 }, 'options.quality'],
    [{ model: '../../etc/passwd' }, 'options.model'],
    [{ mode: 'ultra' }, 'options.mode'],
    [{ type: 'mask', decontaminate: false }, 'options.decontaminate'],
  ])('rejects %j naming %s', (input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  // The inference service runs the same rows through its own check (apps/inference/src/imaging/remove-options-verdicts.spec.ts).
  it.each(REMOVE_OPTIONS_CASES.map((c) => [JSON.stringify(c.options), c.refused ?? 'nothing', c] as const))(
    '%s: removeBackground refuses %s, as inference does',
    (_o, _f, c) => {
      expect(fieldOf(c.options)).toBe(c.refused === null ? undefined : `options.${c.refused}`);
    },
  );
});
