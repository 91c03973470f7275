import type { ReactNode } from 'react';
import { describeError, type ErrorSentence } from '../graphql/errors';
import { Link } from '../router';

/** An error shown as its plain sentence (with its link, e.g. "Buy credits"); nothing when there is no error. */
export function ErrorAlert({ error, sentence }: { error?: unknown; sentence?: ErrorSentence }) {
  if (!sentence && (error === undefined || error === null)) return null;
  const { text, link } = sentence ?? describeError(error);
  return (
    <div className="alert error" role="alert">
      {text}
      {link && (
        <>
          {' '}
          <Link href={link.href}>{link.label}</Link>
        </>
      )}
    </div>
  );
}

export function Alert({ kind, children }: { kind: 'success' | 'info' | 'warning'; children: ReactNode }) {
  return (
    <div className={`alert ${kind}`} role="status">
      {children}
    </div>
  );
}

export function ProgressBar({ value, label, state }: { value: number; label: string; state?: 'done' | 'failed' }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className={`progress${state ? ` ${state}` : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <span style={{ width: `${percent}%` }} />
    </div>
  );
}
