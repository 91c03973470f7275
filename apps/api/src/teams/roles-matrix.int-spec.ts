import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isInputObjectType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { stripeEnv } from '../../testing/billing-client';
import { startFakeStripe, type FakeStripe } from '../../testing/fake-stripe.server';
import { NOT_TEAM_SCOPED, OPERATIONS, type MatrixOperation } from '../../testing/roles-matrix.operations';
import {
  aFreshScene,
  aMatrixWorld,
  CALLERS,
  firstEvent,
  httpCaller,
  MEMBER_ROLE,
  snapshot,
  wsCaller,
  type Answer,
  type Caller,
  type World,
} from '../../testing/roles-matrix.world';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { PERMISSION_MATRIX } from './team-permissions';

type Outcome = 'DATA' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

/** What the README's permission matrix promises a caller for an operation. */
function expectedOutcome(op: MatrixOperation, caller: Caller): Outcome {
  if (caller === 'ANONYMOUS') return 'UNAUTHENTICATED';
  // Platform-admin operations: no team role or key allows them, whatever the team.
  if (op.permission === 'PLATFORM_ADMIN') return 'FORBIDDEN';
  const isKey = caller === 'TEAM_KEY' || caller === 'OTHER_TEAM_KEY';
  if (op.userOnly && isKey) return 'FORBIDDEN';
  if (caller === 'OTHER_TEAM_USER' || caller === 'OTHER_TEAM_KEY') return op.outsidersGetData ? 'DATA' : 'NOT_FOUND';
  const rule = PERMISSION_MATRIX[op.permission];
  if (caller === 'TEAM_KEY') return rule.apiKey ? 'DATA' : 'FORBIDDEN';
  const role = MEMBER_ROLE[caller]!;
  return rule.roles.includes(role) && (op.rank?.(role) ?? true) ? 'DATA' : 'FORBIDDEN';
}

/** Does an argument (or a field of an input argument, at any depth) carry an ID? */
function carriesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => carriesId(f.type, seen));
}

/**
 * Every team-scoped operation (README "Teams and permissions") run by every kind of
 * caller against the real API (HTTP and graphql-ws): the answer matches the matrix,
 * and a refused call changes nothing.
 */
describe('roles matrix', () => {
  let t: TestApi;
  let w: World;
  let schema: GraphQLSchema;
  let fakeStripe: FakeStripe;

  beforeAll(async () => {
    // No worker: jobs stay QUEUED, so nothing changes behind the test's back.
    // Stripe's API is the fake, so that purchaseCredits can succeed for owners and admins.
    fakeStripe = await startFakeStripe();
    t = await startTestApi({ ROLE: 'api', ...stripeEnv(fakeStripe) });
    w = await aMatrixWorld(t);
    schema = buildClientSchema((await t.client().ok(getIntrospectionQuery())) as never);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fakeStripe?.close();
  });

  it('covers every team-scoped field of the schema, and only fields that exist', () => {
    const covered = new Set(OPERATIONS.map((op) => op.field));
    const fields: { coordinate: string; hasId: boolean; hasArgs: boolean; root: boolean }[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const root = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type);
      for (const field of Object.values(type.getFields())) {
        fields.push({
          coordinate: `${type.name}.${field.name}`,
          hasId: field.args.some((a) => carriesId(a.type)),
          hasArgs: field.args.length > 0,
          root,
        });
      }
    }
    // Every root field, and every nested field that takes arguments, is classified.
    const unclassified = fields.filter(
      (f) => (f.root || f.hasArgs) && !covered.has(f.coordinate) && !NOT_TEAM_SCOPED.includes(f.coordinate),
    );
    expect(unclassified.map((f) => f.coordinate)).toEqual([]);
    // A field that names an object by id is team-scoped: it cannot hide in the exempt list.
    expect(fields.filter((f) => f.hasId && NOT_TEAM_SCOPED.includes(f.coordinate)).map((f) => f.coordinate)).toEqual([]);
    const existing = new Set(fields.map((f) => f.coordinate));
    expect([...covered, ...NOT_TEAM_SCOPED].filter((c) => !existing.has(c))).toEqual([]);
  });

  async function call(
    op: MatrixOperation,
    scene: World['shared'],
    caller: Caller,
    variables: Record<string, unknown>,
    trigger?: () => Promise<string[]>,
  ): Promise<Answer> {
    if (op.kind === 'subscription') return firstEvent(wsCaller(w, scene, caller), op.document, variables, trigger);
    const { data, errors } = await httpCaller(w, scene, caller).gql(op.document, variables);
    return { data, errors, created: [] };
  }

  for (const op of OPERATIONS) {
    describe(op.name, () => {
      for (const caller of CALLERS) {
        const outcome = expectedOutcome(op, caller);
        it(`${caller}: ${outcome === 'DATA' ? 'answers' : outcome}`, async () => {
          const scene = op.consumesTeam && outcome === 'DATA' ? await aFreshScene(w, caller) : w.shared;
          const prepared = await op.prepare(w, scene, caller);
          const probeBefore = await prepared.probe?.();
          const before = await snapshot(t);

          const answer = await call(op, scene, caller, prepared.variables, prepared.trigger);

          const probeAfter = await prepared.probe?.();
          const after = await snapshot(t, answer.created);
          if (outcome === 'DATA') {
            expect(answer.errors ?? []).toEqual([]);
            prepared.check(answer.data ?? {});
            if (op.kind === 'mutation') expect(probeAfter).not.toEqual(probeBefore);
            else expect(after).toEqual(before);
          } else {
            expect((answer.errors ?? []).map((e) => e.extensions?.code)).toEqual([outcome]);
            expect(answer.data ?? null).toBeNull();
            expect(probeAfter).toEqual(probeBefore);
            expect(after).toEqual(before);
          }
        });
      }
    });
  }
});
