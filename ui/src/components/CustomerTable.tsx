import { type KeyboardEvent, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { api } from "../api/api";
import type { Category, CustomerFilter, CustomerRow, ErrorPayload, Outcome, Sensitivity } from "../api/bindings";
import { ErrorBox } from "./widgets";
import { fill, type Key, useI18n } from "../i18n/i18n";
import { KeysetLoader, scrollToShow, windowRange } from "./keysetList";

/** Customers per keyset page: the size `handover-bench customers` measures (well under a millisecond per
 * page at a million customers), five screens of rows. */
export const PAGE = 50;
/** Height of every row, in px: one line of text with room to click. */
export const ROW_PX = 44;
/** Rows the scroll area shows at once, below its header row. */
export const VISIBLE_ROWS = 10;
/** Rows rendered beyond each edge of the visible ones, so fast scrolling does not show blanks. */
export const OVERSCAN = 5;
/** The next page is fetched when the rendered rows come this close to the end of the loaded ones. */
export const LOAD_AHEAD = 20;
const HEADER_PX = ROW_PX;
const VIEWPORT_PX = HEADER_PX + VISIBLE_ROWS * ROW_PX;

const CATEGORIES: Category[] = ["basic", "transaction", "preference"];
const SENSITIVITIES: Sensitivity[] = ["general", "sensitive"];
const OUTCOMES: Outcome[] = ["transfer", "keep", "retain", "delete", "deidentify", "return", "blocked"];

/**
 * The customer table: a fixed-height scroll area (shorter only when fewer rows than fit are left) that
 * renders only the rows in view (plus a few), loading
 * further keyset pages as the owner scrolls toward the end. Searched by phone or name, filtered by
 * category, sensitivity and outcome; a new search or filter starts again from the top. Names and phones
 * arrive masked. Keyboard: rows take focus; arrow keys, Page Up/Down, Home and End move. A new `version`
 * (the case's "customers" data made stale) loads the list again from the top, keeping search and filters.
 */
export function CustomerTable(props: { initial?: Partial<CustomerFilter>; testid?: string; version?: number }) {
  const { t } = useI18n();
  const id = props.testid ?? "customers";
  const [filter, setFilter] = useState<CustomerFilter>({ search: null, category: null, sensitivity: null, outcome: null, ...props.initial });
  const [typed, setTyped] = useState("");
  const [count, setCount] = useState<number | null>(null);
  const [countError, setCountError] = useState<ErrorPayload | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const focusActive = useRef(false);

  // The search applies a moment after typing stops, so each keystroke does not start a query.
  useEffect(() => {
    const h = setTimeout(() => setFilter((f) => (f.search === (typed.trim() || null) ? f : { ...f, search: typed.trim() || null })), 250);
    return () => clearTimeout(h);
  }, [typed]);

  // One loader per filter: a new filter starts from the first page, and the old one's answers go nowhere.
  const loader = useMemo(() => new KeysetLoader<CustomerRow>((after) => api.customerPage(filter, { after_id: after, limit: PAGE })), [filter, props.version]);
  const list = useSyncExternalStore(loader.subscribe, loader.getSnapshot);

  useEffect(() => {
    let current = true;
    setCount(null);
    setCountError(null);
    api.customerCount(filter).then(
      (n) => current && setCount(n),
      (e: ErrorPayload) => current && setCountError(e),
    );
    // Back to the top for the new list.
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
    setActive(0);
    return () => {
      current = false;
    };
  }, [filter, props.version]);

  // The rows, and one more for "loading…" while pages remain.
  const total = list.loaded + (list.done ? 0 : 1);
  const range = windowRange(scrollTop, VISIBLE_ROWS * ROW_PX, ROW_PX, total, OVERSCAN);
  useEffect(() => loader.want(range.end + LOAD_AHEAD), [loader, range.end, list]);

  // After a key moved the focus, the row is rendered (the scroll position was set with it): focus it.
  useEffect(() => {
    if (!focusActive.current) return;
    focusActive.current = false;
    viewport.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus({ preventScroll: true });
  }, [active, range.start, range.end]);

  const moveTo = (index: number) => {
    if (list.loaded === 0) return;
    const i = Math.max(0, Math.min(index, list.loaded - 1));
    const top = scrollToShow(i, viewport.current?.scrollTop ?? scrollTop, VIEWPORT_PX, HEADER_PX, ROW_PX);
    if (viewport.current) viewport.current.scrollTop = top;
    setScrollTop(top);
    focusActive.current = true;
    setActive(i);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: VISIBLE_ROWS, PageUp: -VISIBLE_ROWS };
    if (e.key in step) moveTo(active + (step[e.key] ?? 0));
    else if (e.key === "Home") moveTo(0);
    else if (e.key === "End") moveTo(list.loaded - 1);
    else return;
    e.preventDefault();
  };

  // The row Tab lands on: the focused one while it is rendered, else the first rendered.
  const tabStop = active >= range.start && active < Math.min(range.end, list.loaded) ? active : range.start;
  const firstShown = Math.floor(scrollTop / ROW_PX);
  const lastShown = Math.min(list.loaded, Math.ceil((scrollTop + VISIBLE_ROWS * ROW_PX) / ROW_PX));
  const select = <K extends keyof CustomerFilter>(key: K, value: string) => setFilter((f) => ({ ...f, [key]: value || null }));

  const rows = [];
  for (let i = range.start; i < Math.min(range.end, list.loaded); i++) {
    const r = list.rows[i];
    if (!r) break;
    rows.push(
      <div
        key={r.id}
        role="row"
        className={`ct-row${i === active ? " active" : ""}`}
        aria-rowindex={i + 2}
        tabIndex={i === tabStop ? 0 : -1}
        data-index={i}
        data-testid={`${id}-row`}
        style={{ top: i * ROW_PX }}
        onFocus={() => setActive(i)}
      >
        <span role="cell" className="count">
          {r.id}
        </span>
        <span role="cell">{r.name ?? ""}</span>
        <span role="cell" data-testid={`${id}-mobile`}>
          {r.mobile ?? ""}
        </span>
        <span role="cell">{r.has_id_number ? "✓" : ""}</span>
        <span role="cell" className="count">
          {r.records}
        </span>
      </div>,
    );
  }

  return (
    <section className="customer-table" data-testid={id}>
      <h2>{t("ct.title")}</h2>
      <p className="hint">{t("ct.hint")}</p>
      <ErrorBox error={countError ?? list.error} />
      <div className="inline-form">
        <input
          type="search"
          aria-label={t("ct.search")}
          placeholder={t("ct.search")}
          data-testid={`${id}-search`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <label>
          {t("ct.category")}{" "}
          <select data-testid={`${id}-category`} value={filter.category ?? ""} onChange={(e) => select("category", e.target.value)}>
            <option value="">{t("ct.all")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`cls.category.${c}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ct.sensitivity")}{" "}
          <select data-testid={`${id}-sensitivity`} value={filter.sensitivity ?? ""} onChange={(e) => select("sensitivity", e.target.value)}>
            <option value="">{t("ct.all")}</option>
            {SENSITIVITIES.map((s) => (
              <option key={s} value={s}>
                {t(`cls.sensitivity.${s}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ct.outcome")}{" "}
          <select data-testid={`${id}-outcome`} value={filter.outcome ?? ""} onChange={(e) => select("outcome", e.target.value)}>
            <option value="">{t("ct.all")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}` as Key)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="ct-status">
        {count !== null && (
          <span data-testid={`${id}-count`}>{fill(t("ct.count"), { n: count.toLocaleString() })}</span>
        )}
        {list.loaded > 0 && (
          <span className="muted" data-testid={`${id}-position`}>
            {fill(t("ct.position"), { from: (firstShown + 1).toLocaleString(), to: lastShown.toLocaleString(), loaded: list.loaded.toLocaleString() })}
          </span>
        )}
      </p>
      {list.done && list.loaded === 0 ? (
        <p className="hint" data-testid={`${id}-none`}>
          {t("ct.none")}
        </p>
      ) : (
        <div
          ref={viewport}
          className="ct-viewport"
          style={{ height: Math.min(VIEWPORT_PX, HEADER_PX + total * ROW_PX) }}
          data-testid={`${id}-scroll`}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <div role="table" aria-label={t("ct.title")} aria-rowcount={count !== null ? count + 1 : -1} aria-busy={list.loading}>
            <div role="rowgroup" className="ct-head">
              <div role="row" className="ct-row" aria-rowindex={1}>
                <span role="columnheader" className="count">
                  {t("ct.customer")}
                </span>
                <span role="columnheader">{t("ct.name")}</span>
                <span role="columnheader">{t("ct.mobile")}</span>
                <span role="columnheader">{t("ct.idNumber")}</span>
                <span role="columnheader" className="count">
                  {t("ct.records")}
                </span>
              </div>
            </div>
            <div role="rowgroup" className="ct-body" style={{ height: total * ROW_PX }} onKeyDown={onKeyDown}>
              {rows}
              {!list.done && range.end > list.loaded && (
                <div role="row" className="ct-row ct-more" style={{ top: list.loaded * ROW_PX }} data-testid={`${id}-loading`}>
                  <span role="cell">
                    {list.error ? (
                      <>
                        {t("ct.failed")}{" "}
                        <button type="button" className="link" data-testid={`${id}-retry`} onClick={() => loader.retry(range.end + LOAD_AHEAD)}>
                          {t("ct.retry")}
                        </button>
                      </>
                    ) : (
                      t("ct.loading")
                    )}
                  </span>
                </div>
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
