// The logic of a virtualised, endlessly scrolling list over keyset pages, apart from React so it can be
// tested on its own: which rows a scroll position shows, and loading the next page as the end comes near.
//
// Hand-written rather than a library such as @tanstack/react-virtual: every row has the same height, so
// the window is two divisions (no measuring, nothing for jsdom to fake in tests), and the part that needs
// care here — one keyset page at a time, never the same page twice, results of an old filter dropped — is
// ours to write with or without a library.
import type { ErrorPayload } from "../api/bindings";

/** Rows `[start, end)` to render, overscan included, for a viewport showing rows of `rowPx` each. */
export function windowRange(scrollTop: number, viewportPx: number, rowPx: number, total: number, overscan: number): { start: number; end: number } {
  if (total <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowPx);
  const last = Math.ceil((Math.max(0, scrollTop) + viewportPx) / rowPx);
  const start = Math.max(0, Math.min(first, total - 1) - overscan);
  const end = Math.min(total, last + overscan);
  return { start, end };
}

/** The scroll position that brings row `index` fully into a viewport of `viewportPx` (below a sticky header of `headerPx`). */
export function scrollToShow(index: number, scrollTop: number, viewportPx: number, headerPx: number, rowPx: number): number {
  const top = index * rowPx; // the row's top, measured in scroll offset (the header sits above row 0)
  const bodyPx = viewportPx - headerPx;
  if (top < scrollTop) return top;
  if (top + rowPx > scrollTop + bodyPx) return top + rowPx - bodyPx;
  return scrollTop;
}

/** One keyset page, as `customer_page` returns it. */
export interface KeysetPage<R> {
  rows: R[];
  /** `after_id` of the next page; `null` after the last. */
  next_after_id: number | null;
}

/** What the list shows. `rows` only grows; read the first `loaded` of it. */
export interface KeysetSnapshot<R> {
  rows: readonly R[];
  loaded: number;
  /** Every page is loaded. */
  done: boolean;
  /** A page is on its way. */
  loading: boolean;
  /** The last fetch failed; nothing more is fetched until `retry`. */
  error: ErrorPayload | null;
}

/**
 * The loaded rows of one query (one filter): pages are fetched in order, one at a time, only when rows
 * beyond those loaded are wanted. A new filter gets a new loader; the old one's late answer goes nowhere.
 *
 * Loaded rows are kept (appended in place, not copied per page), so scrolling back is instant. Memory grows
 * only as far as the owner scrolls: about a hundred bytes per row, a few MB even after thousands of pages;
 * nothing is loaded up front.
 */
export class KeysetLoader<R> {
  private readonly rows: R[] = [];
  private next: number | null = 0;
  private snapshot: KeysetSnapshot<R> = { rows: this.rows, loaded: 0, done: false, loading: false, error: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetchPage: (afterId: number) => Promise<KeysetPage<R>>) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): KeysetSnapshot<R> => this.snapshot;

  private update(change: Partial<KeysetSnapshot<R>>) {
    this.snapshot = { ...this.snapshot, ...change, rows: this.rows, loaded: this.rows.length };
    for (const l of this.listeners) l();
  }

  /** Makes sure rows up to index `need` (exclusive) are loaded or on their way: fetches the next page when
   * they are not, unless a page is already on its way, the last page is in, or the last fetch failed. */
  want(need: number): void {
    const after = this.next;
    if (after === null || this.snapshot.loading || this.snapshot.error || need <= this.rows.length) return;
    this.update({ loading: true });
    this.fetchPage(after).then(
      (page) => {
        for (const r of page.rows) this.rows.push(r);
        // An empty page cannot be followed by more; stop rather than ask for the same page again.
        this.next = page.rows.length > 0 ? page.next_after_id : null;
        this.update({ loading: false, done: this.next === null });
      },
      (e: unknown) => this.update({ loading: false, error: e as ErrorPayload }),
    );
  }

  /** After a failed fetch: tries the same page again. */
  retry(need: number): void {
    if (!this.snapshot.error) return;
    this.update({ error: null });
    this.want(need);
  }
}
