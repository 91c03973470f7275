/**
 * Who needs to know when a cookie choice is recorded (the session drops what consent no longer
 * allows). `recordConsent` in consent-banner.tsx calls `consentRecorded` after the API answers.
 */

export interface RecordedConsent {
  categories: readonly string[];
  policyVersion: string;
}

type Listener = (consent: RecordedConsent) => void;

const listeners = new Set<Listener>();

export function onConsentRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function consentRecorded(consent: RecordedConsent): void {
  for (const listener of listeners) listener(consent);
}
