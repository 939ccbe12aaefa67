import { useEffect, useState } from "react";
import { api } from "../../api/api";
import type { ClassificationSummary, ColumnReview, ColumnSummary, ErrorPayload, FieldType, MaskStyle } from "../../api/bindings";
import { ErrorBox } from "../../components/widgets";
import { useCase, useCaseQuery, useMutation } from "../../case/CaseContext";
import { CustomerTable } from "../../components/CustomerTable";
import { FIELD_TYPES, fill, type Key, useI18n } from "../../i18n/i18n";

const fieldKey = (f: FieldType | string) => `fieldType.${f}` as Key;

/**
 * The classification review: what personal information the case holds (the same numbers as
 * `handover status --json`), each imported column with its field, and a column opened with masked samples
 * and the classifier's evidence, where the owner corrects it.
 */
export function ClassificationStep() {
  const { t } = useI18n();
  const { versions } = useCase();
  const query = useCaseQuery("classification", api.classificationSummary);
  const summary = query.data;
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const error = failed ?? query.error;
  const [open, setOpen] = useState<{ source: number; col: number } | null>(null);
  // The mask style changes how names and phones are shown.
  const setMaskStyle = useMutation(api.setMaskStyle, { invalidates: ["classification", "customers"] });
  // A corrected column comes back as the new summary; what the case holds per field changes everywhere else.
  const reclassifyColumn = useMutation(api.reclassifyColumn, { invalidates: ["overview", "review", "minimisation", "plan", "customers"] });

  const setMask = async (style: MaskStyle) => {
    setError(null);
    try {
      await setMaskStyle(style);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  if (!summary) {
    return (
      <section data-testid="classification-screen">
        <h1>{t("cls.title")}</h1>
        <ErrorBox error={error} />
        {!error && <p className="hint">{t("cls.loading")}</p>}
      </section>
    );
  }

  const kinds = Object.entries(summary.pii).filter(([, n]) => n !== undefined) as [string, NonNullable<ClassificationSummary["pii"][string]>][];

  return (
    <section data-testid="classification-screen">
      <h1>{t("cls.title")}</h1>
      <p className="why">{t("cls.why")}</p>
      <ErrorBox error={error} />
      {summary.records === 0 ? (
        <p className="hint" data-testid="cls-empty">{t("cls.empty")}</p>
      ) : (
        <>
          <div className="stat-cards">
            <Stat id="customers" label={t("cls.customers")} value={summary.customers} />
            <Stat id="records" label={t("cls.records")} value={summary.records} />
            <Stat id="sensitive" label={t("cls.sensitiveCustomers")} value={summary.sensitive_customers} hint={t("cls.sensitiveHint")} warn />
            <Stat id="minors" label={t("cls.minors")} value={summary.minors} hint={fill(t("cls.minorsHint"), { date: summary.reference_date })} warn />
            <Stat
              id="free-text"
              label={t("cls.freeText")}
              value={summary.free_text_findings}
              hint={fill(t("cls.freeTextHint"), { records: summary.records_with_free_text_findings })}
            />
          </div>

          {summary.minors_in_notes.length > 0 ? (
            <>
              <h2>{t("cls.minorsInNotes")}</h2>
              <p className="hint">{fill(t("cls.minorsInNotesHint"), { n: summary.minors_in_notes_total })}</p>
              <table className="data" data-testid="cls-minors-in-notes">
                <thead>
                  <tr>
                    <th>{t("cls.source")}</th>
                    <th className="count">{t("cls.row")}</th>
                    <th>{t("cls.header")}</th>
                    <th>{t("cls.note")}</th>
                    <th className="count">{t("cls.age")}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.minors_in_notes.map((e, i) => (
                    <tr key={i} data-testid="cls-minor-in-note">
                      <td>{e.source_label}</td>
                      <td className="count">{e.row}</td>
                      <td>{e.header}</td>
                      <td>{e.masked_note}</td>
                      <td className="count">{e.age}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}

          <h2>{t("cls.byKind")}</h2>
          <table className="data" data-testid="cls-kinds">
            <thead>
              <tr>
                <th>{t("cls.kind")}</th>
                <th className="count">{t("cls.inColumns")}</th>
                <th className="count">{t("cls.inText")}</th>
                <th className="count">{t("cls.recordsWith")}</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map(([kind, n]) => (
                <tr key={kind} data-testid={`cls-kind-${kind}`}>
                  <td>{t(fieldKey(kind))}</td>
                  <td className="count" data-testid={`cls-kind-${kind}-cells`}>{n.column_cells}</td>
                  <td className="count" data-testid={`cls-kind-${kind}-text`}>{n.text_findings}</td>
                  <td className="count">{n.records}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t("cls.categoriesTitle")}</h2>
          <div className="stat-cards">
            {(["basic", "transaction", "preference"] as const).map((c) => (
              <Stat key={c} id={`category-${c}`} label={t(`cls.category.${c}` as Key)} value={summary.categories[c]} hint={t(`cls.categoryHint.${c}` as Key)} />
            ))}
            <Stat id="sensitivity-general" label={t("cls.sensitivity.general")} value={summary.categories.general} />
            <Stat id="sensitivity-sensitive" label={t("cls.sensitivity.sensitive")} value={summary.categories.sensitive} warn />
          </div>

          <h2>{t("cls.columnsTitle")}</h2>
          <p className="hint">{t("cls.columnsHint")}</p>
          <table className="data" data-testid="cls-columns">
            <thead>
              <tr>
                <th>{t("cls.source")}</th>
                <th>{t("cls.header")}</th>
                <th>{t("cls.field")}</th>
                <th>{t("cls.category")}</th>
                <th>{t("cls.sensitivity")}</th>
                <th className="count">{t("cls.validCells")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {summary.columns.map((c) => {
                const isOpen = open?.source === c.source_id && open.col === c.col_index;
                return (
                  <ColumnRow
                    key={`${c.source_id}-${c.col_index}`}
                    column={c}
                    open={isOpen}
                    onToggle={() => setOpen(isOpen ? null : { source: c.source_id, col: c.col_index })}
                    reclassify={(field) => reclassifyColumn(c.source_id, c.col_index, field).then(query.setData)}
                  />
                );
              })}
            </tbody>
          </table>
          <CustomerTable key={summary.mask_style} version={versions.customers} testid="cls-customers-table" />
        </>
      )}

      <h2>{t("cls.maskTitle")}</h2>
      <p className="hint">{t("cls.maskHint")}</p>
      <div className="choices" role="radiogroup" aria-label={t("cls.maskTitle")}>
        {(["standard", "strict"] as MaskStyle[]).map((s) => (
          <label key={s} className={`choice ${summary.mask_style === s ? "selected" : ""}`}>
            <input type="radio" name="mask-style" data-testid={`mask-${s}`} checked={summary.mask_style === s} onChange={() => setMask(s)} />
            {t(`cls.mask.${s}` as Key)}
          </label>
        ))}
      </div>
    </section>
  );
}

function Stat(props: { id: string; label: string; value: number; hint?: string; warn?: boolean }) {
  return (
    <div className={`stat ${props.warn && props.value > 0 ? "warn" : ""}`} data-testid={`cls-${props.id}`}>
      <div className="stat-value" data-testid={`cls-${props.id}-value`}>
        {props.value.toLocaleString()}
      </div>
      <div className="stat-label">{props.label}</div>
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

function ColumnRow(props: { column: ColumnSummary; open: boolean; onToggle: () => void; reclassify: (field: FieldType) => Promise<void> }) {
  const { t, lang } = useI18n();
  const c = props.column;
  const [review, setReview] = useState<ColumnReview | null>(null);
  const [choice, setChoice] = useState<FieldType>(c.field);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const testid = `cls-column-${c.source_id}-${c.col_index}`;

  useEffect(() => {
    if (!props.open) return;
    setChoice(c.field);
    api.columnReview(c.source_id, c.col_index).then(setReview, setError);
  }, [props.open, c.source_id, c.col_index, c.field, lang]);

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.reclassify(choice);
      setDone(true);
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <tr data-testid={testid}>
        <td>{c.source_label}</td>
        <td>{c.header}</td>
        <td data-testid={`${testid}-field`}>{t(fieldKey(c.field))}</td>
        <td>{t(`cls.category.${c.category}` as Key)}</td>
        <td className={c.sensitivity === "sensitive" ? "sensitive" : ""}>{t(`cls.sensitivity.${c.sensitivity}` as Key)}</td>
        <td className="count">{c.valid_cells === null ? "—" : c.valid_cells.toLocaleString()}</td>
        <td>
          <button className="small" data-testid={`${testid}-open`} aria-expanded={props.open} onClick={props.onToggle}>
            {props.open ? t("cls.close") : t("cls.open")}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr className="detail-row">
          <td colSpan={7} data-testid="column-review">
            <ErrorBox error={error} />
            {done && <p className="ok" role="status">{t("cls.applied")}</p>}
            {review && (
              <div className="column-review">
                <p>
                  <strong>{t("cls.suggested")}：</strong>
                  {t(fieldKey(review.suggested))} · {t("cls.confidence")} {Math.round(review.confidence * 100)}% · {review.evidence}
                </p>
                <p data-testid="column-review-valid">
                  {fill(t("cls.sampledValid"), { sampled: review.sampled, valid: review.valid, field: t(fieldKey(review.field)) })}
                </p>
                <table className="data compact">
                  <caption>{t("cls.samples")}</caption>
                  <thead>
                    <tr>
                      <th className="count">{t("cls.row")}</th>
                      <th>{t("cls.value")}</th>
                      <th>{t("cls.valid")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {review.samples.map((s) => (
                      <tr key={s.row}>
                        <td className="count">{s.row}</td>
                        <td data-testid="column-review-sample">{s.masked}</td>
                        <td>{s.valid ? t("cls.yes") : t("cls.no")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="inline-form">
                  <label htmlFor={`${testid}-change`}>{t("cls.changeTo")}</label>
                  <select id={`${testid}-change`} data-testid="column-review-field" value={choice} onChange={(e) => setChoice(e.target.value as FieldType)}>
                    {FIELD_TYPES.map((f) => (
                      <option key={f} value={f}>
                        {t(fieldKey(f))}
                      </option>
                    ))}
                  </select>
                  <button data-testid="column-review-apply" disabled={busy || choice === c.field} onClick={apply}>
                    {t("cls.apply")}
                  </button>
                </div>
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
