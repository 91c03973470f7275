import { GraphQLID, GraphQLScalarType } from 'graphql';
import { canonicalId } from '../common/uuid';

/**
 * The schema's ID scalar (use it instead of type-graphql's `ID`, which lint refuses): GraphQL's ID,
 * except that a UUID written in any letter case is read as its canonical lower-case form
 * (canonicalId), in variables and in the query's text alike. Ids are compared as text in places
 * (pub-sub channels, idempotency references, a data key's associated data, rate-limit keys), so
 * `ABC…` and `abc…` must never reach them as two ids. Its name and what it writes are ID's: the
 * published schema does not change.
 */
export const ID = new GraphQLScalarType({
  ...GraphQLID.toConfig(),
  parseValue: (value) => canonicalId(GraphQLID.parseValue(value) as string),
  parseLiteral: (ast, variables) => canonicalId(GraphQLID.parseLiteral(ast, variables) as string),
});
