import { graphql } from '../graphql/generated';
import type { PolicyKind } from '../graphql/generated/graphql';
import { useQuery } from '../graphql/hooks';
import { ErrorAlert } from '../ui/alert';
import { Markdown } from '../ui/markdown';

export const PolicyDocument = graphql(`
  query Policy($kind: PolicyKind!) {
    policy(kind: $kind) {
      kind
      title
      version
      markdown
    }
  }
`);

/** The current cookie or privacy policy, rendered from its Markdown (as text: no HTML passes through). */
export function PolicyPage({ kind }: { kind: PolicyKind }) {
  const { data, error } = useQuery(PolicyDocument, { kind });
  return (
    <article className="card">
      <ErrorAlert error={error} />
      {data ? (
        <>
          <h1>{data.policy.title}</h1>
          <p className="muted">Version {data.policy.version}</p>
          <Markdown source={data.policy.markdown.replace(/^#\s+.*\n/, '')} />
        </>
      ) : (
        !error && <p role="status">Loading…</p>
      )}
    </article>
  );
}
