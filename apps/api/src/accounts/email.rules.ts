import { z } from 'zod';
import { badInput } from '../common/errors/app-error';

const emailSchema = z.email().max(254);

/** Returns the normalised email or throws BAD_USER_INPUT (field "email"). */
export function parseEmail(input: string, field = 'email'): string {
  const email = input.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw badInput(field, 'Enter a valid email address.');
  return email;
}
