import { checkRemoveOptions } from '@cutout/inference-contract';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';
import type { JobOptions } from '../entities/job.entity';

/**
 * Checks removeBackground's options with the contract's one schema (the inference service
 * checks every request with the same one), or throws BAD_USER_INPUT naming the first bad
 * field as `options.<field>`.
 */
export function parseJobOptions(input: unknown): JobOptions {
  const checked = checkRemoveOptions(input);
  if (checked.ok) return checked.options;
  const field = ['options', ...checked.issue.path].join('.');
  throw new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${checked.issue.message}`, { field });
}
