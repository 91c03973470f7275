export default async function globalTeardown(): Promise<void> {
  await globalThis.__CUTOUT_TEST_PG__?.stop();
}
