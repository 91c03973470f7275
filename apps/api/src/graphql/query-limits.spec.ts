import { buildSchema, parse } from 'graphql';
import {
  assertQueryLimits,
  assertSourceNesting,
  MAX_EXPANDED_FIELDS,
  MAX_NESTING,
  MAX_SOURCE_NESTING,
  type QueryLimits,
} from './query-limits';

const schema = buildSchema(`
  type Item { id: ID! name: String! }
  type ItemEdge { node: Item! }
  type ItemConnection { edges: [ItemEdge!]! }
  type Query { items(first: Int, after: String): ItemConnection! hello: String! }
`);
const limits: QueryLimits = { maxDepth: 10, maxComplexity: 1000, maxRootFields: 10 };

/** The complexity a query is charged, read from the QUERY_TOO_COMPLEX error under a limit of 0. */
function complexityOf(query: string): unknown {
  try {
    assertQueryLimits(schema, parse(query), undefined, undefined, { ...limits, maxComplexity: 0 });
  } catch (error) {
    return (error as { extensions?: { complexity?: unknown } }).extensions?.complexity;
  }
  return undefined;
}

describe('query limits', () => {
  it('charges a connection without `first` as the default page, like `first: 20`', () => {
    const withFirst = complexityOf('{ items(first: 20) { edges { node { id name } } } }');
    expect(complexityOf('{ items { edges { node { id name } } } }')).toBe(withFirst);
    expect(complexityOf('{ items(after: "x") { edges { node { id name } } } }')).toBe(withFirst);
    expect(complexityOf('{ items(first: 5) { edges { node { id name } } } }')).toBeLessThan(withFirst as number);
  });

  it('refuses documents nested thousands of levels deep with QUERY_TOO_COMPLEX before the recursive checks overflow the stack', () => {
    const inline = (n: number) => '{ ' + '... on Query { '.repeat(n) + 'hello ' + '} '.repeat(n) + '}';
    const chain = (n: number) =>
      '{ ...F0 } ' + Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : 'hello'} }`).join(' ');
    for (const query of [inline(2000), inline(MAX_NESTING), chain(3000)]) {
      expect(() => assertQueryLimits(schema, parse(query), undefined, undefined, limits)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', maxNesting: MAX_NESTING }) }),
      );
    }
    expect(() => assertQueryLimits(schema, parse(inline(MAX_NESTING - 2)), undefined, undefined, limits)).not.toThrow();
  });

  it('refuses a text nested deeper than MAX_SOURCE_NESTING brackets before it is parsed, counting no bracket in a string or comment', () => {
    // Regression: parse() of 2000 nested inline fragments overflowed the stack or not, depending on the caller's stack
    // (over WebSocket GRAPHQL_PARSE_FAILED "Maximum call stack size exceeded", now and then, in place of QUERY_TOO_COMPLEX).
    const braces = (n: number) => '{ ' + '... on Query { '.repeat(n - 1) + 'hello ' + '} '.repeat(n);
    const list = (n: number) => `{ items(after: ${'['.repeat(n - 2)}1${']'.repeat(n - 2)}) { edges { node { id } } } }`;
    const refused = expect.objectContaining({
      extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', maxNesting: MAX_NESTING }),
    });
    for (const text of [braces(MAX_SOURCE_NESTING + 1), braces(100_000), list(MAX_SOURCE_NESTING + 1)])
      expect(() => assertSourceNesting(text)).toThrow(refused);
    for (const text of [
      braces(MAX_SOURCE_NESTING),
      list(MAX_SOURCE_NESTING),
      `{ items(after: "${'{'.repeat(5000)}") { edges { node { id } } } }`,
      `# ${'{'.repeat(5000)}\n{ hello }`,
      `{ hello } "unterminated ${'{'.repeat(5000)}`, // a syntax error first: left to parse()
    ])
      expect(() => assertSourceNesting(text)).not.toThrow();
  });

  it('leaves an operation name that names no operation to GraphQL (no TypeError from the complexity check)', () => {
    for (const name of ['Nope', undefined]) {
      expect(() => assertQueryLimits(schema, parse('query A { hello } query B { hello }'), undefined, name, limits)).not.toThrow();
    }
    expect(() => assertQueryLimits(schema, parse('{ hello }'), undefined, 'Nope', limits)).not.toThrow();
  });

  it('refuses a document whose fragments multiply when expanded (each spreading the next twice) before walking its paths', () => {
    // Regression (found in review): 40 such fragments are 2^40 paths, and the depth and complexity checks walk each one.
    const doubling = (n: number) =>
      '{ ...F0 } ' +
      Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `a: hello ...F${i + 1} ...F${i + 1}` : 'hello'} }`).join(
        ' ',
      );
    expect(() => assertQueryLimits(schema, parse(doubling(40)), undefined, undefined, limits)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', maxExpandedFields: MAX_EXPANDED_FIELDS }),
      }),
    );
    // A few doublings stay well under the bound and are judged by the usual checks.
    expect(() => assertQueryLimits(schema, parse(doubling(5)), undefined, undefined, limits)).not.toThrow();
  });
});
