// Shared jest settings. Everything (our TypeScript and the ESM-only packages
// such as NestJS 12 and pg-boss) is compiled by SWC, because Jest cannot
// require() ES modules on Node 20.
const esmPackages = [
  '@nestjs',
  'pg-boss',
  'uid',
  'load-esm',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'serialize-error',
  'non-error',
  'cron-parser',
  'luxon',
  'graphql-ws',
  '@graphql-yoga',
  '@whatwg-node',
  '@repeaterjs',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj|cj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false, react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30_000,
};
