export { ConfigError, parseEnv, envInt, envBool, envList, redact } from './parse-env';
