import { z } from 'zod';
import { ConfigError, envBool, envInt, envList, parseEnv, redact } from './parse-env';

const schema = z.object({
  PORT: envInt(1, 65535).default(3000),
  DEBUG: envBool().default(false),
  URLS: envList().default([]),
  SECRET: z.string().min(4).optional(),
});

describe('parseEnv', () => {
  it('applies defaults and treats empty strings as unset', () => {
    const config = parseEnv(schema, { PORT: '', DEBUG: undefined });
    expect(config).toEqual({ PORT: 3000, DEBUG: false, URLS: [] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('coerces values', () => {
    expect(parseEnv(schema, { PORT: '8080', DEBUG: 'yes', URLS: 'a, b,,c' })).toEqual({ PORT: 8080, DEBUG: true, URLS: ['a', 'b', 'c'] });
  });

  it('names every bad variable', () => {
    try {
      parseEnv(schema, { PORT: 'seventy', DEBUG: 'maybe', SECRET: 'x' });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const variables = (e as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['DEBUG', 'PORT', 'SECRET']);
      expect((e as Error).message).toContain('PORT');
      expect((e as Error).message).not.toContain('"x"');
    }
  });

  it('redacts secrets', () => {
    expect(redact({ a: 1, b: 'secret' }, ['b'])).toEqual({ a: 1, b: '[redacted]' });
  });
});
