import depthLimit from 'graphql-depth-limit';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors/error-codes';
import { DEFAULT_PAGE } from '../common/pagination/keyset-page';

/** A connection field (one that takes `first`) costs its children times the page size it asks for, the default page without `first`. */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE;
  return 1 + childComplexity * first;
};

/**
 * The deepest nesting of selection sets (fields, inline fragments and fragment spreads, each one
 * level) a document may have. The depth and complexity checks recurse and would overflow the
 * stack on documents thousands of levels deep; this check is iterative and runs before them.
 * Far above any document within GRAPHQL_MAX_DEPTH (at most 50).
 */
export const MAX_NESTING = 200;

/**
 * The deepest nesting of brackets (`{`, `[` and `(`, strings and comments aside) a document's text
 * may have. graphql-js parses recursively: a text thousands of levels deep overflowed the stack in
 * parse() itself, or not, depending on how deep the stack already was (the WebSocket path answered
 * GRAPHQL_PARSE_FAILED "Maximum call stack size exceeded" now and then). assertSourceNesting
 * refuses such a text before parsing, on the lexer's tokens (no recursion). Twice MAX_NESTING:
 * selections within that limit leave room for values nested as deep.
 */
export const MAX_SOURCE_NESTING = 2 * MAX_NESTING;

const tooDeeplyNested = () =>
  new GraphQLError(`Query is nested too deeply: the limit is ${MAX_NESTING} levels of selections and fragments.`, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxNesting: MAX_NESTING },
  });

/** Throws QUERY_TOO_COMPLEX when `source` nests brackets deeper than MAX_SOURCE_NESTING; a text that does not lex is left to the parser. */
export function assertSourceNesting(source: string): void {
  // Every request passes here: a text without that many opening brackets at all is not lexed.
  if (openingBrackets(source) <= MAX_SOURCE_NESTING) return;
  const lexer = new Lexer(new Source(source));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        if (++depth > MAX_SOURCE_NESTING) break;
      } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) depth--;
    }
  } catch {
    return; // a syntax error: parse() reports it
  }
  if (depth > MAX_SOURCE_NESTING)
    throw new GraphQLError(
      `Query is nested too deeply: the limit is ${MAX_SOURCE_NESTING} nested brackets in its text (${MAX_NESTING} levels of selections and fragments).`,
      { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxNesting: MAX_NESTING, maxSourceNesting: MAX_SOURCE_NESTING } },
    );
}

/** How many `{`, `[` and `(` characters the text holds, strings and comments included (an upper bound of its nesting). */
function openingBrackets(source: string): number {
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) count++;
  }
  return count;
}

/** Whether the document nests selection sets more than `max` levels deep, following fragment spreads (without recursion). */
function nestsDeeperThan(document: DocumentNode, max: number): boolean {
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  // A fragment walked again at a level no deeper than before can add nothing: each is walked at most `max` times.
  const deepestWalk = new Map<string, number>();
  const stack: [SelectionSetNode, number][] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      stack.push([definition.selectionSet, 1]);
  }
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [selectionSet, level] = next;
    if (level > max) return true;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || (deepestWalk.get(fragment.name.value) ?? 0) >= level + 1) continue;
        deepestWalk.set(fragment.name.value, level + 1);
        stack.push([fragment.selectionSet, level + 1]);
      } else if (selection.selectionSet) {
        stack.push([selection.selectionSet, level + 1]);
      }
    }
  }
  return false;
}

/**
 * Most field selections a document may hold once its fragments are expanded (a fragment counted at every
 * place it is spread). The depth and complexity checks after this walk every path: a few dozen fragments
 * that each spread the next twice make 2^n of them, which would hold the event loop for ever.
 */
export const MAX_EXPANDED_FIELDS = 10_000;

/** The document's field selections with its fragments expanded, counted with each fragment sized once; at most `cap` + 1. */
function expandedFields(document: DocumentNode, cap: number): number {
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const sized = new Map<string, number>();
  const sizeOf = (selectionSet: SelectionSetNode, walking: Set<string>): number => {
    let size = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic spreads are left to validation.
        if (!fragment || walking.has(name)) continue;
        if (!sized.has(name)) sized.set(name, sizeOf(fragment.selectionSet, new Set(walking).add(name)));
        size += sized.get(name) ?? 0;
      } else {
        size += (selection.kind === Kind.FIELD ? 1 : 0) + (selection.selectionSet ? sizeOf(selection.selectionSet, walking) : 0);
      }
      if (size > cap) return cap + 1;
    }
    return size;
  };
  let total = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) total = Math.min(cap + 1, total + sizeOf(definition.selectionSet, new Set()));
  }
  return total;
}

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  /** Most root fields (aliases included) in one mutation operation. */
  maxRootFields: number;
}

/** Root fields of a selection set, counting through fragments (each alias is one field). */
function countRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countRootFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

/** Throws QUERY_TOO_COMPLEX when the mutation operation has more than `max` root fields. */
function assertRootFields(document: DocumentNode, operationName: string | undefined | null, max: number): void {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (operation?.operation !== 'mutation') return;
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const rootFields = countRootFields(operation.selectionSet, fragments);
  if (rootFields > max) {
    throw new GraphQLError(`Too many fields in one mutation: ${rootFields}, the limit is ${max}. Send them in separate requests.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, rootFields, maxRootFields: max },
    });
  }
}

/** Throws QUERY_TOO_COMPLEX when an operation is too deep, has too many mutation root fields, or costs too much. */
export function assertQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  limits: QueryLimits,
): void {
  if (nestsDeeperThan(document, MAX_NESTING)) throw tooDeeplyNested();
  // Sized before the checks that walk every path (nestsDeeperThan bounds this walk's recursion).
  if (expandedFields(document, MAX_EXPANDED_FIELDS) > MAX_EXPANDED_FIELDS) {
    throw new GraphQLError(`Query is too large once its fragments are expanded: the limit is ${MAX_EXPANDED_FIELDS} fields.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxExpandedFields: MAX_EXPANDED_FIELDS },
    });
  }
  const [tooDeep] = validate(schema, document, [depthLimit(limits.maxDepth)]);
  if (tooDeep) {
    throw new GraphQLError(`Query is too deep: the limit is ${limits.maxDepth} levels.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxDepth: limits.maxDepth },
    });
  }
  assertRootFields(document, operationName, limits.maxRootFields);
  // No operation to run (an unknown or missing operationName): GraphQL answers that (GRAPHQL_VALIDATION_FAILED).
  if (!getOperationAST(document, operationName)) return;
  const complexity = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity > limits.maxComplexity) {
    throw new GraphQLError(`Query is too complex: ${complexity} points, the limit is ${limits.maxComplexity}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity: limits.maxComplexity },
    });
  }
}
