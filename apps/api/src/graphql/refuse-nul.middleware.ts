import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../common/errors/app-error';
import { findNulString } from '../common/text-rules';

/**
 * Every argument of every field, before any resolver: a string holding U+0000 (which
 * PostgreSQL cannot store) is BAD_USER_INPUT naming the argument, never a database error.
 */
export const refuseNulStrings: MiddlewareFn = ({ args }, next) => {
  const path = findNulString(args, '');
  if (path) throw badInput(path.replace(/^input\./, ''), 'Text cannot contain NUL characters (U+0000).');
  return next();
};
