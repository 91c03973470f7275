import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, type ClassType, type ContainerGetter } from 'type-graphql';
import { RESOLVERS } from '../app.module';
import { DateTime } from './date-time.scalar';
import { refuseNulStrings } from './refuse-nul.middleware';

/** Builds the type-graphql schema; resolver instances come from Nest's container when given. */
export function buildGraphqlSchema(getInstance?: (cls: ClassType) => unknown): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    container: getInstance ? ({ get: (cls: ClassType) => getInstance(cls) } as unknown as ContainerGetter<object>) : undefined,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    validate: false,
    globalMiddlewares: [refuseNulStrings],
    // Required by type-graphql; our subscriptions bring their own streams (JobSubscriptionsService).
    pubSub: createPubSub(),
  });
}

/** The SDL committed as apps/api/schema.graphql (sorted, so diffs stay small). */
export function printSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
