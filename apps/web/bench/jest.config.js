/**
 * Unit tests of the first-load bench's pure helpers (the bench itself, `npm run bench:web`, prints
 * figures and is not a test).
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'web-bench',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
