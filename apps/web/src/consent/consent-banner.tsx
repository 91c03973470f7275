import { useId, useState } from 'react';
import { execute } from '../graphql/client';
import { graphql } from '../graphql/generated';
import type { ConsentCategory, RecordConsentInput } from '../graphql/generated/graphql';
import { useQuery } from '../graphql/hooks';
import { Link } from '../router';
import { ErrorAlert } from '../ui/alert';
import { consentRecorded } from './consent-events';

export const ConsentStateDocument = graphql(`
  query ConsentState {
    consent {
      id
      categories
      policyVersion
    }
    policy(kind: COOKIES) {
      version
    }
  }
`);

export const RecordConsentDocument = graphql(`
  mutation RecordConsent($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      id
      categories
      policyVersion
    }
  }
`);

/** Records a cookie choice (banner or settings) and tells the session, which drops what it no longer allows. */
export async function recordConsent(input: RecordConsentInput) {
  const { recordConsent: recorded } = await execute(RecordConsentDocument, { input });
  consentRecorded(recorded);
  return recorded;
}

/** The optional categories, in the order the cookie policy lists them. */
export const OPTIONAL_CATEGORIES: readonly { id: Exclude<ConsentCategory, 'STRICTLY_NECESSARY'>; label: string; hint: string }[] = [
  { id: 'PERFORMANCE', label: 'Performance', hint: 'Measuring how the site is used.' },
  { id: 'FUNCTIONALITY', label: 'Functionality', hint: 'Remembering preferences beyond the strictly necessary.' },
  { id: 'MARKETING', label: 'Marketing', hint: 'Advertising and tracking across sites.' },
];

/**
 * Shown until the visitor (or user) has a choice for the current cookie policy. It writes nothing
 * to cookies or storage itself: the API sets the strictly necessary `cutout_visitor` cookie only
 * when a choice is recorded.
 */
export function ConsentBanner() {
  const state = useQuery(ConsentStateDocument, {});
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<Set<ConsentCategory>>(new Set());
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const titleId = useId();

  const data = state.data;
  if (done || !data) return null;
  if (data.consent && data.consent.policyVersion === data.policy.version) return null;

  const record = async (categories: ConsentCategory[]) => {
    setBusy(true);
    setError(undefined);
    try {
      await recordConsent({ categories, policyVersion: data.policy.version, source: 'BANNER' });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card consent-banner stack" role="region" aria-labelledby={titleId}>
      <h2 id={titleId}>Cookies on Cutout</h2>
      <p>
        We use only strictly necessary cookies to sign you in and remember this choice. Choose whether we may use others, should we ever add
        any. <Link href="/policies/cookies">Read the cookie policy</Link>.
      </p>
      {choosing && (
        <fieldset className="stack">
          <legend>Cookie categories</legend>
          <label className="check">
            <input type="checkbox" checked disabled />
            <span>
              <strong>Strictly necessary</strong> (always on): signing in, remembering your cookie choice.
            </span>
          </label>
          {OPTIONAL_CATEGORIES.map((category) => (
            <label className="check" key={category.id}>
              <input
                type="checkbox"
                checked={chosen.has(category.id)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(category.id);
                  else next.delete(category.id);
                  setChosen(next);
                }}
              />
              <span>
                <strong>{category.label}</strong>: {category.hint}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <ErrorAlert error={error} />
      <div className="row">
        <button type="button" className="button primary" disabled={busy} onClick={() => void record(OPTIONAL_CATEGORIES.map((c) => c.id))}>
          Accept all
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void record([])}>
          Reject all
        </button>
        {choosing ? (
          <button type="button" className="button" disabled={busy} onClick={() => void record([...chosen])}>
            Save my choice
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setChoosing(true)}>
            Choose categories
          </button>
        )}
      </div>
    </section>
  );
}
