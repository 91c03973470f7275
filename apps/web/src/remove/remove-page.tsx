import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { formatCredits } from '../format';
import { useQuery } from '../graphql/hooks';
import { newIdempotencyKey } from '../graphql/idempotency-key';
import { useSession } from '../session/session';
import { ErrorAlert } from '../ui/alert';
import { DownloadAll, type FinishedResult } from './download-all';
import { JobCard, type ImageItem } from './job-card';
import { defaultOptions, jobCost, validateOptions, type OptionsDraft } from './options';
import { OptionsForm } from './options-form';
import type { CardState } from './progress';
import { ModelsDocument, PricesDocument } from './remove-documents';
import { restoreRemovePage, saveRemovePage, type SavedCard } from './remove-session';
import { ACCEPTED_TYPES, imageSize } from './upload';

/**
 * Home: add images (drop, paste, pick), set options, see the price, run them, compare and download.
 * The batch stays while the person visits other pages (remove-session.ts).
 */
export function RemovePage() {
  const { me, team } = useSession();
  const prices = useQuery(PricesDocument, {});
  const models = useQuery(ModelsDocument, {});
  // The batch as it was when this person last left the page (remove-session.ts), or a new one.
  const [restored] = useState(() => (me ? restoreRemovePage(me.id) : undefined));
  const [items, setItems] = useState<ImageItem[]>(restored?.items ?? []);
  const [draft, setDraft] = useState<OptionsDraft>(restored?.draft ?? defaultOptions);
  const cards = useRef(new Map<string, SavedCard>(restored?.cards ?? []));
  /** Jobs whose result the retention policy deleted while the page was open (learnt from "Download all"). */
  const [expired, setExpired] = useState<ReadonlySet<string>>(restored?.expired ?? new Set());
  useEffect(() => {
    if (me) saveRemovePage(me.id, { items, draft, cards: cards.current, expired });
  }, [me, items, draft, expired]);
  const [showErrors, setShowErrors] = useState(false);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  /** Each card's succeeded job, by item key (for "Download all"). */
  const [succeeded, setSucceeded] = useState<ReadonlyMap<string, string>>(new Map());
  const onExpired = useCallback((jobId: string) => setExpired((current) => new Set(current).add(jobId)), []);

  const onCardState = useCallback((key: string, attempt: number | undefined, state: CardState) => {
    cards.current.set(key, { attempt, state });
    setSucceeded((current) => {
      const jobId = state.phase === 'succeeded' && state.resultUrl ? state.jobId : undefined;
      if (current.get(key) === jobId) return current;
      const next = new Map(current);
      if (jobId) next.set(key, jobId);
      else next.delete(key);
      return next;
    });
  }, []);

  const { errors, input } = validateOptions(draft);
  const visibleErrors = showErrors ? errors : {};

  const addFiles = useCallback((files: Iterable<File>) => {
    const added: ImageItem[] = [];
    for (const file of files) {
      const previewUrl = URL.createObjectURL(file);
      added.push({ key: newIdempotencyKey(), file, previewUrl });
    }
    if (!added.length) return;
    setItems((current) => [...current, ...added]);
    for (const item of added) {
      if (!ACCEPTED_TYPES.includes(item.file.type)) continue;
      void imageSize(item.previewUrl).then((size) => setItems((current) => current.map((i) => (i.key === item.key ? { ...i, size } : i))));
    }
  }, []);

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
      if (files.length) {
        event.preventDefault();
        addFiles(files);
      }
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [addFiles]);

  // Files dropped anywhere on the page are added too: a browser left alone opens a dropped file in place
  // of the app, and every card on this page would be gone. The drop zone's own handler comes first.
  useEffect(() => {
    const carriesFiles = (event: globalThis.DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (event: globalThis.DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    const onDrop = (event: globalThis.DragEvent) => {
      if (event.defaultPrevented || !carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer?.files.length) addFiles(event.dataTransfer.files);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [addFiles]);

  const pending = items.filter((i) => !i.run && ACCEPTED_TYPES.includes(i.file.type));
  const costOf = useMemo(
    () => (item: ImageItem) => (prices.data && input ? jobCost(prices.data.prices, item.size, input) : undefined),
    [prices.data, input],
  );
  const total = pending.reduce<number | undefined>((sum, item) => {
    const cost = costOf(item);
    return sum === undefined || cost === undefined ? undefined : sum + cost;
  }, 0);

  const submit = () => {
    setShowErrors(true);
    if (!input || !team || !pending.length) return;
    const keys = new Set(pending.map((i) => i.key));
    setItems((current) =>
      current.map((i) =>
        keys.has(i.key) ? { ...i, run: { teamId: team.id, options: input, attempt: 1, idempotencyKey: `${i.key}-1` } } : i,
      ),
    );
    // The cards sit under the options (far down on a phone): the run's first card is brought into view.
    const first = items.findIndex((i) => keys.has(i.key));
    requestAnimationFrame(() => {
      const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      list.current?.children[first]?.scrollIntoView({ block: 'nearest', behavior: reduced ? 'auto' : 'smooth' });
    });
  };

  /** Runs the card again: a new job only when its job ended FAILED or CANCELED (`newJob`), else the same idempotency key. */
  const retry = (key: string, newJob: boolean) =>
    setItems((current) =>
      current.map((i) => {
        if (i.key !== key || !i.run) return i;
        const attempt = i.run.attempt + 1;
        return { ...i, run: { ...i.run, attempt, idempotencyKey: newJob ? `${i.key}-${attempt}` : i.run.idempotencyKey } };
      }),
    );

  const remove = (key: string) => {
    setItems((current) => {
      const item = current.find((i) => i.key === key);
      if (item) {
        URL.revokeObjectURL(item.previewUrl);
        cards.current.delete(key);
      }
      return current.filter((i) => i.key !== key);
    });
    setSucceeded((current) => {
      if (!current.has(key)) return current;
      const next = new Map(current);
      next.delete(key);
      return next;
    });
  };

  const results: FinishedResult[] = [];
  for (const item of items) {
    const jobId = succeeded.get(item.key);
    if (jobId && item.run && !expired.has(jobId))
      results.push({ jobId, filename: item.file.name, format: item.run.options.format ?? 'PNG' });
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  };

  return (
    <div className="stack">
      <h1>Remove backgrounds</h1>
      <div
        className={`dropzone${dragging ? ' active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Drop images here</strong>, paste them (Ctrl+V / ⌘V), or
        </p>
        <button type="button" className="button primary" onClick={() => picker.current?.click()}>
          Choose images
        </button>
        <input
          ref={picker}
          type="file"
          accept={ACCEPTED_TYPES.join(',')}
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Choose images"
          onChange={(event) => {
            if (event.target.files) addFiles(event.target.files);
            event.target.value = '';
          }}
        />
        <p className="small muted">JPEG, PNG or WebP.</p>
      </div>

      <OptionsForm draft={draft} errors={visibleErrors} onChange={setDraft} models={models.data?.models} />

      <ErrorAlert error={prices.error} />
      <div className="row">
        <button type="button" className="button primary" onClick={submit} disabled={!pending.length || !team}>
          {pending.length
            ? `Remove ${pending.length === 1 ? 'background' : `${pending.length} backgrounds`}${total !== undefined ? ` · ${formatCredits(total)}` : ''}`
            : 'Remove backgrounds'}
        </button>
        {showErrors && !input && (
          <span className="field-error" role="alert">
            Please fix the options above.
          </span>
        )}
        {prices.data && (
          <span className="small muted">
            {formatCredits(prices.data.prices.preview)} up to {prices.data.prices.previewMaxMegapixels} MP,{' '}
            {formatCredits(prices.data.prices.full)} above; high quality {prices.data.prices.highMultiplier}×.
          </span>
        )}
      </div>

      {results.length > 0 && <DownloadAll results={results} onExpired={onExpired} />}
      {items.length > 0 && (
        <ul ref={list} className="job-grid" style={{ listStyle: 'none', padding: 0 }} aria-label="Images">
          {items.map((item) => (
            <JobCard
              key={item.key}
              item={item}
              cost={costOf(item)}
              onRemove={() => remove(item.key)}
              onRetry={(newJob) => retry(item.key, newJob)}
              onStateChange={(state) => onCardState(item.key, item.run?.attempt, state)}
              expired={expired.has(succeeded.get(item.key) ?? '')}
              onExpired={onExpired}
              resume={cards.current.get(item.key)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
