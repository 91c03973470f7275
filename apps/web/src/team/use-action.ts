import { useCallback, useState } from 'react';

/** One button's async work: busy while it runs, the error it threw, a success sentence. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const run = useCallback(async (work: () => Promise<string | undefined | void>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const message = await work();
      if (message) setDone(message);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}
