export { startEmbeddedPostgres, findFreePort, type EmbeddedPostgresHandle, type StartEmbeddedPostgresOptions } from './embedded-postgres';
