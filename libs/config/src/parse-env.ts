import { z } from 'zod';

/** Thrown when the environment does not satisfy a config schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables once with a zod object schema whose keys are the
 * variable names. Returns a frozen, typed object or throws ConfigError.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.infer<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: issue.path.length ? issue.path.map(String).join('.') : '(config)',
        message: issue.message,
      })),
    );
  }
  return Object.freeze(result.data);
}

/** Integer from an environment string, with bounds. */
export const envInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "true/false/1/0/yes/no" from an environment string. */
export const envBool = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Comma-separated list from an environment string. */
export const envList = () =>
  z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Replaces the values of secret keys so a config object can be logged. */
export function redact<T extends object>(config: T, secretKeys: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const key of secretKeys) if (out[key as string] !== undefined) out[key as string] = '[redacted]';
  return out;
}
