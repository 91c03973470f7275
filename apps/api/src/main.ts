import 'reflect-metadata';
import { ConfigError } from '@cutout/config';
import { loadApiConfig } from './config/api.config';
import { startApi } from './bootstrap/start-api';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const api = await startApi(config);
  console.log(`Cutout API ready at ${api.url}/graphql`);
  const shutdown = (signal: string) => {
    api.logger.info({ signal }, 'shutting down');
    api.close().then(
      () => process.exit(0),
      (error) => {
        api.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Cutout API failed to start:', error);
  process.exit(1);
});
