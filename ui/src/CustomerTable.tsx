import { useEffect, useState } from "react";
import { api } from "./api";
import type { Category, CustomerFilter, CustomerPage, ErrorPayload, Outcome, Sensitivity } from "./bindings";
import { fill } from "./ClassificationStep";
import { ErrorBox } from "./components";
import { type Key, useI18n } from "./i18n";

const PAGE = 50;
const CATEGORIES: Category[] = ["basic", "transaction", "preference"];
const SENSITIVITIES: Sensitivity[] = ["general", "sensitive"];
const OUTCOMES: Outcome[] = ["transfer", "keep", "retain", "delete", "deidentify", "return", "blocked"];

/**
 * The customer table: one page at a time by key (fast at any depth of a million customers), searched by
 * phone or name, filtered by category, sensitivity and outcome. Names and phones arrive masked.
 */
export function CustomerTable(props: { initial?: Partial<CustomerFilter>; testid?: string }) {
  const { t } = useI18n();
  const id = props.testid ?? "customers";
  const [filter, setFilter] = useState<CustomerFilter>({ search: null, category: null, sensitivity: null, outcome: null, ...props.initial });
  const [typed, setTyped] = useState("");
  const [page, setPage] = useState<CustomerPage | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [cursor, setCursor] = useState<number[]>([0]);
  const [error, setError] = useState<ErrorPayload | null>(null);

  // The search applies a moment after typing stops, so each keystroke does not start a query.
  useEffect(() => {
    const h = setTimeout(() => setFilter((f) => ({ ...f, search: typed.trim() || null })), 250);
    return () => clearTimeout(h);
  }, [typed]);

  useEffect(() => {
    setCursor([0]);
    api.customerPage(filter, { after_id: 0, limit: PAGE }).then(setPage, setError);
    api.customerCount(filter).then(setCount, setError);
  }, [filter]);

  const go = (after: number, stack: number[]) => {
    setCursor(stack);
    api.customerPage(filter, { after_id: after, limit: PAGE }).then(setPage, setError);
  };

  const select = <K extends keyof CustomerFilter>(key: K, value: string) => setFilter((f) => ({ ...f, [key]: value || null }));
  const start = (cursor.length - 1) * PAGE;

  return (
    <section className="customer-table" data-testid={id}>
      <h2>{t("ct.title")}</h2>
      <p className="hint">{t("ct.hint")}</p>
      <ErrorBox error={error} />
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
      {count !== null && (
        <p className="muted" data-testid={`${id}-count`}>
          {fill(t("ct.count"), { n: count.toLocaleString() })}
        </p>
      )}
      {page && page.rows.length === 0 ? (
        <p className="hint">{t("ct.none")}</p>
      ) : (
        page && (
          <table className="data">
            <thead>
              <tr>
                <th className="count">{t("ct.customer")}</th>
                <th>{t("ct.name")}</th>
                <th>{t("ct.mobile")}</th>
                <th>{t("ct.idNumber")}</th>
                <th className="count">{t("ct.records")}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} data-testid={`${id}-row`}>
                  <td className="count">{r.id}</td>
                  <td>{r.name ?? ""}</td>
                  <td data-testid={`${id}-mobile`}>{r.mobile ?? ""}</td>
                  <td>{r.has_id_number ? "✓" : ""}</td>
                  <td className="count">{r.records}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      <div className="actions left">
        <button disabled={cursor.length <= 1} onClick={() => go(cursor[cursor.length - 2] ?? 0, cursor.slice(0, -1))}>
          {t("ct.prev")}
        </button>
        <span className="muted">{page && page.rows.length > 0 ? `${start + 1}–${start + page.rows.length}` : ""}</span>
        <button disabled={!page || page.next_after_id === null} onClick={() => page?.next_after_id != null && go(page.next_after_id, [...cursor, page.next_after_id])}>
          {t("ct.next")}
        </button>
      </div>
    </section>
  );
}
