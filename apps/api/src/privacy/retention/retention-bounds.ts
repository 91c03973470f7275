/** The configured range a retention value (hours or days) lies in: RETENTION_*_MIN and _MAX. */
export interface RetentionBounds {
  minimum: number;
  maximum: number;
}

/**
 * A stored retention value as it takes effect: clamped into the configured bounds. A team's row
 * was checked against the bounds of its day; when the operator narrows them later, the new ones
 * win at once (the sweep, `retentionPolicy`, `resultExpiresAt`), and the stored row is left as it is.
 */
export const clampRetention = (value: number, { minimum, maximum }: RetentionBounds): number => Math.min(Math.max(value, minimum), maximum);

/**
 * `clampRetention` in SQL, for the sweeps: the team's column (`stored`, NULL without a policy
 * row) or the configured default, clamped into [minimum, maximum] (SQL expressions: columns or
 * parameters).
 */
export const effectiveRetentionSql = (stored: string, fallback: string, minimum: string, maximum: string): string =>
  `LEAST(GREATEST(COALESCE(${stored}, ${fallback}), ${minimum}), ${maximum})`;
