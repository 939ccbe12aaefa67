// The summary step: the handover summary saved as PDF or DOCX for both sides to sign (final once every
// required item is done, a watermarked draft before), then every answer of every step, each with a way back
// to edit it, and what is still open.
import { api } from "../../api/api";
import { useCase, useMutation } from "../../case/CaseContext";
import { formatSize } from "../../components/format";
import { fill, type Key, kindLabel, localTime, pick, reasonLabel, useI18n } from "../../i18n/i18n";
import { useWizardNav } from "../../case/nav";
import { OperatorField, SaveCaseDocument } from "../../components/CaseDocuments";

export function ReviewScreen() {
  const { t, lang } = useI18n();
  const { review: r, overview } = useCase();
  const { go: edit } = useWizardNav();
  const saveDocument = useMutation(api.saveCaseDocument, { invalidates: [] });
  if (!r) return null;
  const d = overview.details;
  const or = (s: string) => (s.trim() ? s : t("none"));

  return (
    <section className="review" data-testid="review-screen" data-can-print-final={r.can_print_final ? "true" : "false"}>
      <p data-testid="review-totals">
        {fill(t("summary.totals"), {
          applicable: r.totals.applicable,
          done: r.totals.done,
          na: r.totals.not_applicable,
          later: r.totals.later,
          open: r.totals.open,
          files: r.totals.evidence_files,
        })}
      </p>

      <div className="summary-document no-print">
        <h2>{t("papers.summaryTitle")}</h2>
        <p className="hint">{t("papers.summaryHint")}</p>
        <OperatorField responsible={d.seller.responsible_person} />
        <SaveCaseDocument document="summary" openBlocking={r.open_blocking.length} business={d.seller.name} save={saveDocument} />
      </div>

      {r.open_blocking.length > 0 ? (
        <div className="warning review-open" data-testid="review-open">
          <h2>{t("summary.openTitle")}</h2>
          <ul>
            {r.open_blocking.map((o) => (
              <li key={o.item_id} data-testid="review-open-item" data-item={o.item_id}>
                <button type="button" className="link" onClick={() => edit(o.step, o.item_id)}>
                  {fill(t("wizard.stepN"), { n: o.step_number })} · {pick(o.text, lang)}
                </button>
                {o.state === "later" && <span className="tag">{t("state.later")}</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="ok" data-testid="review-all-done">
          ✓ {t("summary.allDone")}
        </p>
      )}

      <h2>{t("summary.caseTitle")}</h2>
      <div className="summary">
        <dl>
          <dt>{t("businessKind")}</dt>
          <dd>{kindLabel(t, d.kind)}</dd>
          <dt>{t("reason")}</dt>
          <dd>{reasonLabel(t, d.reason)}</dd>
          <dt>{t("seller")}</dt>
          <dd>
            {d.seller.name} · {or(d.seller.contact)} · {t("responsible")}: {or(d.seller.responsible_person)}
          </dd>
          <dt>{t("recipient")}</dt>
          <dd>{d.recipient ? `${or(d.recipient.name)} · ${or(d.recipient.contact)}` : t("noneRecipient")}</dd>
          <dt>{t("handoverDate")}</dt>
          <dd>{d.handover_date ?? t("none")}</dd>
          <dt>{t("counts")}</dt>
          <dd>
            {t("sources")} {overview.sources} · {t("customers")} {overview.customers} · {t("records")} {overview.records}
          </dd>
        </dl>
      </div>

      {r.sources.length > 0 && (
        <>
          <h2>{t("summary.sourcesTitle")}</h2>
          <ul data-testid="review-sources">
            {r.sources.map((s) => (
              <li key={s.id}>
                {s.label}（{t(`sourceKind.${s.kind}` as Key)}）：{t(`handling.${s.handling}` as Key)}
                {s.handling_note && ` — ${s.handling_note}`}
              </li>
            ))}
          </ul>
        </>
      )}

      {r.steps.map((step) => (
        <div key={step.id} className="review-step" data-testid={`review-step-${step.id}`}>
          <div className="review-step-head">
            <h2>
              {fill(t("wizard.stepN"), { n: step.number })}：{pick(step.title, lang)}
            </h2>
            {step.id !== "summary" && (
              <button type="button" className="no-print" data-testid={`review-edit-${step.id}`} onClick={() => edit(step.id)}>
                {t("summary.edit")}
              </button>
            )}
          </div>
          {!step.applies ? (
            <p className="muted">
              {t("wizard.stepNotApplicable")}：{step.not_applicable_reason ? pick(step.not_applicable_reason, lang) : ""}
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{t("summary.item")}</th>
                  <th>{t("summary.answer")}</th>
                  <th>{t("summary.noteAndEvidence")}</th>
                </tr>
              </thead>
              <tbody>
                {step.items
                  .filter((i) => i.item.applies)
                  .map(({ item, progress, blocking_open, from_case_details, from_data }) => (
                    <tr key={item.id} data-testid={`review-item-${item.id}`} data-state={progress.state} className={blocking_open ? "open-required" : ""}>
                      <td>
                        <button type="button" className="link left" onClick={() => edit(step.id, item.id)}>
                          {pick(item.text, lang)}
                        </button>
                        {item.blocks_printing && <span className="badge">{t("wizard.required")}</span>}
                      </td>
                      <td className="answer">
                        {t(`state.${progress.state}` as Key)}
                        {progress.state === "not_applicable" && <div className="small">{progress.reason}</div>}
                        {from_case_details && <div className="muted small from-case">{pick(from_case_details, lang)}</div>}
                        {from_data && (
                          <div className="small from-case from-data" data-testid={`review-item-${item.id}-figure`}>
                            {pick(from_data.note, lang)}
                          </div>
                        )}
                        {progress.updated_at && !item.derived_from && <div className="muted small">{localTime(progress.updated_at, lang)}</div>}
                      </td>
                      <td>
                        {progress.note && <div className="note-text">{progress.note}</div>}
                        {progress.evidence.map((e) => (
                          <div key={e.id} className="small">
                            📎 {e.file_name} · {formatSize(e.size_bytes)} · SHA-256 {e.sha256}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}
