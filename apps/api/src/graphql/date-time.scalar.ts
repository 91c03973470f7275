import { GraphQLError, GraphQLScalarType } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';

/** Reads a date that PostgreSQL can store (years 1 – 9999 in UTC); any other is refused like a malformed one. */
function storable(date: Date): Date {
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new GraphQLError('A DateTime must fall between the years 1 and 9999 (UTC).');
  return date;
}

/**
 * The schema's DateTime: graphql-scalars' DateTime, except that an input outside years 1 – 9999 once
 * in UTC (`0001-01-01T00:00:00+01:00` is year 0 there) is refused as a bad value (BAD_USER_INPUT for a
 * variable) instead of reaching PostgreSQL. Its name, description and output are DateTime's.
 */
export const DateTime = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  parseValue: (value) => storable(GraphQLDateTime.parseValue(value) as Date),
  parseLiteral: (ast, variables) => storable(GraphQLDateTime.parseLiteral(ast, variables) as Date),
});
