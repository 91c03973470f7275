import { buildSchema, parse } from 'graphql';
import { assertQueryLimits, type QueryLimits } from './query-limits';

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
});
