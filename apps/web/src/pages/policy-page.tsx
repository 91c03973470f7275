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

/**
 * What the page shows of a policy's Markdown: the text without its own top heading (the page's h1
 * shows the title), and whether the page must name the version itself (the published texts begin
 * with "Version …", which is then not said twice).
 */
export function policyBody(policy: { version: string; markdown: string }): { body: string; showVersion: boolean } {
  const body = policy.markdown.replace(/^#\s+.*\n/, '');
  return { body, showVersion: !body.trimStart().startsWith(`Version ${policy.version}`) };
}

/** The current cookie or privacy policy, rendered from its Markdown (as text: no HTML passes through). */
export function PolicyPage({ kind }: { kind: PolicyKind }) {
  const { data, error } = useQuery(PolicyDocument, { kind });
  const shown = data && policyBody(data.policy);
  return (
    <article className="card">
      <ErrorAlert error={error} />
      {shown && data ? (
        <>
          <h1>{data.policy.title}</h1>
          {shown.showVersion && <p className="muted">Version {data.policy.version}</p>}
          <Markdown source={shown.body} />
        </>
      ) : (
        !error && <p role="status">Loading…</p>
      )}
    </article>
  );
}
