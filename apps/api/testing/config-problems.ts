import { ConfigError } from '@cutout/config';
import { loadApiConfig } from '../src/config/api.config';

type ConfigProblem = ConfigError['problems'][number];

/**
 * What loadApiConfig(env) refuses, for the configuration specs: [] when it loads, else one line per
 * problem of the ConfigError it throws (any other error fails the test), written by `describe`
 * (the variable's name unless told).
 */
export function configProblems(
  env: Record<string, string>,
  describe: (problem: ConfigProblem) => string = (problem) => problem.variable,
): string[] {
  try {
    loadApiConfig(env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map(describe);
  }
}
