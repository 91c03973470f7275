/**
 * graphql-ws faked at the socket, for jsdom specs: `jest.mock('graphql-ws', () => fakeGraphqlWs())`.
 * Every subscription's sink is kept in `fakeSinks` (newest last), for the spec to answer or refuse it.
 */
export interface FakeSink {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

export const fakeSinks: FakeSink[] = [];

export function fakeGraphqlWs() {
  return {
    createClient: () => ({
      subscribe(_payload: unknown, sink: FakeSink) {
        fakeSinks.push(sink);
        return () => undefined;
      },
      dispose: async () => undefined,
    }),
  };
}
