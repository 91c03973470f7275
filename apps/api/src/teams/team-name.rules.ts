import { badInput } from '../common/errors/app-error';

export function parseTeamName(input: string): string {
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > 100) throw badInput('name', 'Team names have 1 to 100 characters.');
  if (/\p{Cc}/u.test(name)) throw badInput('name', 'Team names cannot contain control characters.');
  return name;
}
