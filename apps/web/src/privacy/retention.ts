/** How long a team's data lives (RetentionPolicy's values). */
export interface RetentionValues {
  uploadsHours: number;
  resultsHours: number;
  jobRecordsDays: number;
}

export type RetentionDraft = Record<keyof RetentionValues, string>;

export const RETENTION_FIELDS: readonly { key: keyof RetentionValues; label: string; unit: 'hours' | 'days' }[] = [
  { key: 'uploadsHours', label: 'Originals (uploads)', unit: 'hours' },
  { key: 'resultsHours', label: 'Results', unit: 'hours' },
  { key: 'jobRecordsDays', label: 'Job records', unit: 'days' },
];

/**
 * The API's rules for updateRetentionPolicy: whole numbers within the minimums and maximums, and
 * results never outliving their job records (resultsHours ≤ jobRecordsDays × 24).
 */
export function validateRetention(
  draft: RetentionDraft,
  minimums: RetentionValues,
  maximums: RetentionValues,
): { errors: Partial<Record<keyof RetentionValues, string>>; values?: RetentionValues } {
  const errors: Partial<Record<keyof RetentionValues, string>> = {};
  const values = {} as RetentionValues;
  for (const { key, unit } of RETENTION_FIELDS) {
    const text = draft[key].trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) errors[key] = `Enter a whole number of ${unit}.`;
    else if (n < minimums[key] || n > maximums[key]) errors[key] = `Between ${minimums[key]} and ${maximums[key]} ${unit}.`;
    else values[key] = n;
  }
  if (!errors.resultsHours && !errors.jobRecordsDays && values.resultsHours > values.jobRecordsDays * 24) {
    errors.resultsHours = `Results cannot be kept longer than job records (${values.jobRecordsDays * 24} hours).`;
  }
  return Object.keys(errors).length ? { errors } : { errors, values };
}

/** "48 hours (2 days)", "30 days". */
export function describeDuration(n: number, unit: 'hours' | 'days'): string {
  if (unit === 'days') return n === 1 ? '1 day' : `${n} days`;
  const hours = n === 1 ? '1 hour' : `${n} hours`;
  return n >= 24 && n % 24 === 0 ? `${hours} (${n / 24 === 1 ? '1 day' : `${n / 24} days`})` : hours;
}
