import { useCallback, useRef, useState } from 'react';
import { describeError, type ErrorSentence } from '../graphql/errors';
import type { JobStatus } from '../graphql/generated/graphql';
import type { CardState } from './progress';

/** The statuses `cancelJob` accepts: the API answers CONFLICT once a job has finished. */
export const CANCELABLE_STATUSES: readonly JobStatus[] = ['QUEUED', 'RUNNING'];

export function isCancelable(status: JobStatus): boolean {
  return CANCELABLE_STATUSES.includes(status);
}

/** A card can be canceled once its job exists and while it is queued or running (not while uploading). */
export function isCardCancelable(state: CardState): boolean {
  return state.jobId !== undefined && (state.phase === 'queued' || state.phase === 'running');
}

/** Said next to the disabled button while the request is in flight. */
export const CANCELING_REASON = 'Waiting for the server to confirm the cancellation.';

/**
 * One cancel request at a time: `canceling` while in flight (the button is disabled with the reason),
 * `error` as a sentence when it failed (e.g. CONFLICT: the job finished meanwhile).
 */
export function useCancel<T>(request: () => Promise<T>, onDone: (value: T) => void) {
  const [canceling, setCanceling] = useState(false);
  const [error, setError] = useState<ErrorSentence>();
  const inFlight = useRef(false);
  const latest = useRef({ request, onDone });
  latest.current = { request, onDone };

  const cancel = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setCanceling(true);
    setError(undefined);
    try {
      latest.current.onDone(await latest.current.request());
    } catch (e) {
      setError(describeError(e));
    } finally {
      inFlight.current = false;
      setCanceling(false);
    }
  }, []);

  return { cancel, canceling, error };
}
