import type { ImageItem } from './job-card';
import type { OptionsDraft } from './options';
import type { CardState } from './progress';

/** A card's last state, for the attempt it belongs to. */
export interface SavedCard {
  attempt: number | undefined;
  state: CardState;
}

/** What the Remove page shows: kept while the person visits other pages. */
export interface RemovePageState {
  items: ImageItem[];
  draft: OptionsDraft;
  cards: ReadonlyMap<string, SavedCard>;
  /** Jobs whose result the retention policy has deleted (learnt from "Download all"): not shown again. */
  expired: ReadonlySet<string>;
}

/**
 * The Remove page's cards (their files, previews, runs and last states) and its options, kept in
 * this tab's memory while the person moves between pages, so coming back shows the batch as it
 * went on (a running job is followed again, a finished one shown; nothing is uploaded twice once
 * its job is known). Only for the user who made them; gone on reload and on sign-out (forget()),
 * when their preview URLs are released.
 */
let saved: (RemovePageState & { userId: string }) | undefined;

export function restoreRemovePage(userId: string): RemovePageState | undefined {
  if (saved && saved.userId !== userId) forgetRemovePage();
  return saved;
}

export function saveRemovePage(userId: string, state: RemovePageState): void {
  saved = { userId, ...state };
}

/** Drops the kept page and releases its preview URLs (sign-out, another user). */
export function forgetRemovePage(): void {
  for (const item of saved?.items ?? []) URL.revokeObjectURL(item.previewUrl);
  saved = undefined;
}
