import { parseName } from '../common/text-rules';

export function parseTeamName(input: string): string {
  return parseName(input, 'name', 'Team names');
}
