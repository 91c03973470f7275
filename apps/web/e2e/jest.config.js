/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the real
 * API, PostgreSQL and inference service. globalSetup builds the dashboard once into a temp folder.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'web-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
  // One browser and one API at a time: the machines running CI have two cores.
  maxWorkers: 1,
  testTimeout: 60_000,
};
