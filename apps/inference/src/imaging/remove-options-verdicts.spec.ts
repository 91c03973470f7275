import { checkRemoveOptions, REMOVE_OPTIONS_CASES, toOutputOptions, type RemoveOptionsInput } from '@cutout/inference-contract';
import { InferenceFailure } from '../errors/inference-failure';
import { parseRemoveOptions } from './remove-options';

/** The field the service's own check names, or null when it accepts the request's options. */
function serviceVerdict(options: Record<string, unknown>): string | null {
  try {
    parseRemoveOptions(toOutputOptions(options as RemoveOptionsInput));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InferenceFailure);
    expect((error as InferenceFailure).code).toBe('INVALID_ARGUMENT');
    return /^options\.([\w.]+): /.exec((error as Error).message)?.[1] ?? `unnamed: ${(error as Error).message}`;
  }
}

function schemaVerdict(options: Record<string, unknown>): string | null {
  const checked = checkRemoveOptions(options);
  return checked.ok ? null : checked.issue.path.join('.');
}

describe('one rule set: the contract schema and the inference service give the same verdicts', () => {
  it.each(REMOVE_OPTIONS_CASES.map((c) => [JSON.stringify(c.options), c.refused ?? 'nothing', c.note ?? '', c]))(
    '%s: both refuse %s %s',
    (_options, _field, _note, c) => {
      expect(schemaVerdict(c.options)).toBe(c.refused);
      expect(serviceVerdict(c.options)).toBe(c.refused);
    },
  );
});
