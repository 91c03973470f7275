import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the dashboard, generated from the committed API schema.
 * `npm run codegen:web` writes them; `src/graphql/codegen.spec.ts` fails when they are stale.
 * documentMode "string": the bundle ships the query text, not the graphql-js parser/printer.
 */
export const codegenConfig: CodegenConfig = {
  schema: `${__dirname}/../api/schema.graphql`,
  documents: [`${__dirname}/src/**/*.{ts,tsx}`, `!${__dirname}/src/graphql/generated/**`, `!${__dirname}/src/**/*.spec.{ts,tsx}`],
  ignoreNoDocuments: false,
  generates: {
    [`${__dirname}/src/graphql/generated/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        scalars: { DateTime: 'string' },
      },
    },
  },
};

export default codegenConfig;
