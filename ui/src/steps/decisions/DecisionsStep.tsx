import { useEffect, useRef, useState } from "react";
import type { Answer, ErrorPayload, Outcome, StatusChange } from "../../api/bindings";
import { useCase } from "../../case/CaseContext";
import { CustomerTable } from "../../components/CustomerTable";
import { ErrorBox } from "../../components/widgets";
import { fill, type Key, localTime, useI18n, usePick } from "../../i18n/i18n";
import { useComputePlan, useExplanation, usePlanChanges, usePlanPages, usePlanSummary } from "./usePlan";

const OUTCOMES: Outcome[] = ["transfer", "keep", "retain", "delete", "deidentify", "return", "blocked"];
/** A status change that changes nothing: each button sets one status over it. */
const NO_CHANGE: StatusChange = {
  consent: null,
  guardian_consent: null,
  objection: null,
  deletion_request: null,
  refunded: null,
  deceased: null,
  consent_withdrawn: null,
};

/**
 * The decisions step: the plan's counts per outcome with their reasons, prepaid totals, the exposure
 * check, a filterable table of records, each record's explanation with citations, what the customer said,
 * and the override dialog. The plan's data comes from usePlan; this screen owns only the filter, the open
 * record and the last thing to tell the owner.
 */
export function DecisionsStep() {
  const { t, lang } = useI18n();
  const tx = usePick();
  const { versions } = useCase();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [rule, setRule] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);

  const plan = usePlanSummary();
  const summary = plan.data;
  const pages = usePlanPages(outcome, rule, summary?.computed_at ?? null);
  const { page, pageStart } = pages;
  const computing = useComputePlan();
  const progress = computing.progress;
  const error = failed ?? plan.error ?? pages.error;

  const compute = async () => {
    setNotice(null);
    setError(null);
    try {
      if (!(await computing.run())) setNotice(t("dec.cancelled"));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  return (
    <section data-testid="decisions-screen">
      <h1>{t("dec.title")}</h1>
      <p className="why">{t("dec.why")}</p>
      <ErrorBox error={error} />
      {notice && <p className="notice" role="status">{notice}</p>}

      {computing.running ? (
        <div className="progress-panel" data-testid="plan-progress">
          <progress max={100} value={progress?.percent ?? 0} />
          <span>{fill(t("dec.computing"), { rows: (progress?.rows ?? 0).toLocaleString() })}</span>
          <button data-testid="plan-cancel" onClick={computing.cancel}>
            {t("dec.cancel")}
          </button>
        </div>
      ) : summary === null ? (
        <div className="actions left">
          <p>{t("dec.none")}</p>
          <button className="primary" data-testid="plan-compute" onClick={() => void compute()}>
            {t("dec.compute")}
          </button>
        </div>
      ) : summary ? (
        <div className="actions left">
          {summary.stale && <p className="warning" data-testid="plan-stale">{t("dec.stale")}</p>}
          <span className="muted">{fill(t("dec.computedAt"), { at: localTime(summary.computed_at, lang), date: summary.handover_date })}</span>
          <button className={summary.stale ? "primary" : ""} data-testid="plan-compute" onClick={() => void compute()}>
            {t("dec.recompute")}
          </button>
        </div>
      ) : null}

      {summary && (
        <>
          <h2>{t("dec.outcomesTitle")}</h2>
          <div className="stat-cards">
            {summary.outcomes.map((o) => (
              <button
                key={o.outcome}
                className={`stat outcome-card ${outcome === o.outcome ? "selected" : ""} ${o.outcome === "blocked" && o.count > 0 ? "warn" : ""}`}
                data-testid={`plan-outcome-${o.outcome}`}
                aria-pressed={outcome === o.outcome}
                onClick={() => setOutcome(outcome === o.outcome ? null : o.outcome)}
              >
                <span className="stat-value" data-testid={`plan-outcome-${o.outcome}-count`}>
                  {o.count.toLocaleString()}
                </span>
                <span className="stat-label">{tx(o.label)}</span>
                {o.reasons.slice(0, 2).map((r) => (
                  <span key={r.rule} className="hint">
                    {tx(r.title)} · {r.count.toLocaleString()}
                  </span>
                ))}
              </button>
            ))}
          </div>

          <div className="two-col">
            <div className="panel" data-testid="plan-prepaid">
              <h2>{t("dec.prepaidTitle")}</h2>
              <p>
                {t("dec.prepaidTotal")}: <strong data-testid="plan-prepaid-total">¥{summary.prepaid.total}</strong>
              </p>
              <p className="hint">{fill(t("dec.prepaidCustomers"), { customers: summary.prepaid.customers, records: summary.prepaid.records })}</p>
              <p className="hint">
                {t("dec.prepaidRefunded")}: ¥{summary.prepaid.refunded}
              </p>
              <p className="hint">{t("dec.prepaidHint")}</p>
            </div>
            <div className={`panel ${summary.exposure.blocks_transfer ? "warn" : ""}`} data-testid="plan-exposure" data-blocks={summary.exposure.blocks_transfer}>
              <h2>{t("dec.exposureTitle")}</h2>
              {summary.exposure.blocks_transfer && (
                <p>
                  <strong>{t("dec.exposureBlocks")}</strong>
                </p>
              )}
              <p>{summary.exposure.explanation}</p>
              {summary.exposure.citations.length > 0 && <p className="hint">{summary.exposure.citations.join(lang === "en" ? "; " : "；")}</p>}
            </div>
          </div>
          {summary.hold_notices > 0 && <p className="warning">{fill(t("dec.holdNotices"), { n: summary.hold_notices })}</p>}
          {summary.deletion_refusals > 0 && (
            <p className="warning" data-testid="plan-deletion-refusals">
              {fill(t("dec.deletionRefusals"), { n: summary.deletion_refusals })}
            </p>
          )}
          {summary.overrides > 0 && <p className="hint">{fill(t("dec.overrides"), { n: summary.overrides })}</p>}

          <h2>{t("dec.tableTitle")}</h2>
          <div className="inline-form">
            <label htmlFor="plan-filter-outcome">{t("dec.filterOutcome")}</label>
            <select id="plan-filter-outcome" data-testid="plan-filter-outcome" value={outcome ?? ""} onChange={(e) => setOutcome((e.target.value || null) as Outcome | null)}>
              <option value="">{t("dec.all")}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {tx(summary.outcomes.find((c) => c.outcome === o)?.label ?? { zh: o, en: o })}
                </option>
              ))}
            </select>
            <label htmlFor="plan-filter-rule">{t("dec.filterRule")}</label>
            <select id="plan-filter-rule" data-testid="plan-filter-rule" value={rule ?? ""} onChange={(e) => setRule(e.target.value || null)}>
              <option value="">{t("dec.all")}</option>
              {summary.rules.map((r) => (
                <option key={r.rule} value={r.rule}>
                  {tx(r.title)} ({r.count})
                </option>
              ))}
            </select>
          </div>
          {page && (
            <>
              <table className="data" data-testid="plan-table">
                <thead>
                  <tr>
                    <th>{t("dec.source")}</th>
                    <th className="count">{t("dec.row")}</th>
                    <th>{t("dec.name")}</th>
                    <th>{t("dec.mobile")}</th>
                    <th>{t("dec.outcome")}</th>
                    <th>{t("dec.balance")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {page.rows.map((r) => (
                    <tr key={r.record_id} data-testid="plan-row" data-record={r.record_id} data-row={r.row} data-outcome={r.outcome}>
                      <td>{r.source}</td>
                      <td className="count">{r.row}</td>
                      <td>{r.name ?? ""}</td>
                      <td>{r.mobile ?? ""}</td>
                      <td>
                        {tx(summary.outcomes.find((c) => c.outcome === r.outcome)?.label ?? { zh: r.outcome, en: r.outcome })}
                        {r.retain_until && (
                          <span className="muted small">
                            {" "}
                            · {t("dec.until")} {r.retain_until}
                          </span>
                        )}
                        {r.overridden && <span className="tag">{t("dec.overridden")}</span>}
                      </td>
                      <td>{r.balance ? `¥${r.balance}` : ""}</td>
                      <td>
                        <button className="small" data-testid={`plan-explain-${r.record_id}`} onClick={() => setOpen(r.record_id)}>
                          {t("dec.explain")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="actions left">
                <button disabled={!pages.hasPrev} data-testid="plan-prev" onClick={pages.prev}>
                  {t("dec.prev")}
                </button>
                <span className="muted" data-testid="plan-page-info">
                  {fill(t("dec.pageOf"), { from: page.total === 0 ? 0 : pageStart + 1, to: pageStart + page.rows.length, total: page.total })}
                </span>
                <button
                  disabled={page.next_after === null}
                  data-testid="plan-next"
                  onClick={() => page.next_after !== null && pages.next(page.next_after)}
                >
                  {t("dec.next")}
                </button>
              </div>
            </>
          )}
          {open !== null && <Explanation recordId={open} onClose={() => setOpen(null)} />}
          <CustomerTable key={summary.computed_at} version={versions.customers} testid="plan-customers-table" />
        </>
      )}
    </section>
  );
}

function Explanation(props: { recordId: number; onClose: () => void }) {
  const { t, lang } = useI18n();
  const tx = usePick();
  const explanation = useExplanation(props.recordId);
  const x = explanation.data;
  const changes = usePlanChanges();
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const error = failed ?? explanation.error;
  // The override form.
  const [to, setTo] = useState<Outcome>("delete");
  const [scope, setScope] = useState<"record" | "customer">("record");
  const [reason, setReason] = useState("");
  const [ack, setAck] = useState(false);
  const [saved, setSaved] = useState(false);

  const panel = useRef<HTMLDivElement>(null);
  // The explanation opens below a long table: bring it into view once, when a record is opened.
  const shown = x !== undefined;
  useEffect(() => {
    if (shown) panel.current?.scrollIntoView({ block: "start" });
  }, [shown, props.recordId]);

  if (!x) return <ErrorBox error={error} />;
  const row = x.row;
  const needsAck = row.rule_outcome === "retain" || row.rule_outcome === "blocked";

  const change = async (c: StatusChange) => {
    if (row.customer_id === null) return;
    setError(null);
    try {
      await changes.setCustomerStatus(row.customer_id, c);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const override = async () => {
    setError(null);
    setSaved(false);
    try {
      const target = scope === "customer" && row.customer_id !== null ? { customer: row.customer_id } : { record: row.record_id };
      await changes.setOverride({ target, outcome: to, reason, acknowledged: ack });
      setSaved(true);
      setReason("");
      setAck(false);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const withdraw = async (id: number) => {
    const why = window.prompt(t("dec.withdrawReason"));
    if (!why?.trim()) return;
    try {
      await changes.withdrawOverride(id, why);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const s = x.status;
  const answer = (a: Answer) => t(`dec.answer.${a}` as Key);

  return (
    <div ref={panel} className="panel explanation" data-testid="plan-explanation" role="region" aria-label={t("dec.explain")}>
      <div className="panel-head">
        <h2 data-testid="plan-explanation-title">
          {fill(t("dec.explainTitle"), { row: row.row, source: row.source, outcome: tx(x.outcome_label) })}
        </h2>
        <button data-testid="plan-explanation-close" onClick={props.onClose}>
          {t("dec.close")}
        </button>
      </div>
      <ErrorBox error={error} />
      <p>
        {row.name ?? ""} {row.mobile ?? ""} {row.balance ? `· ¥${row.balance}` : ""} {row.retain_until ? `· ${t("dec.until")} ${row.retain_until}` : ""}
      </p>
      {x.blocked_by_label && (
        <p>
          <strong>{t("dec.blockedBy")}：</strong>
          {tx(x.blocked_by_label)}
        </p>
      )}
      {x.stripped_labels.length > 0 && (
        <p data-testid="plan-stripped">
          <strong>{t("dec.stripped")}：</strong>
          {x.stripped_labels.map(tx).join("、")}
        </p>
      )}
      {x.override_info && (
        <p className="notice" data-testid="plan-override-info">
          {fill(t("dec.overrideInfo"), {
            outcome: tx(x.outcome_label),
            reason: x.override_info.reason,
            actor: x.override_info.actor,
            at: localTime(x.override_info.at, lang),
          })}{" "}
          <button className="link" data-testid="plan-withdraw" onClick={() => void withdraw(x.override_info!.id)}>
            {t("dec.withdraw")}
          </button>
        </p>
      )}
      <h3>{t("dec.ruleChain")}</h3>
      <ol className="rule-chain" data-testid="plan-rules">
        {x.rules.map((r) => (
          <li key={r.rule} data-rule={r.rule}>
            <strong>{tx(r.title)}</strong> <span className="muted small">({r.rule})</span>
            <p>{tx(r.explanation)}</p>
            <ul className="citations">
              {r.citations.map((c, i) => (
                <li key={i} data-testid="plan-citation" data-mark={c.mark}>
                  <strong>{tx(c.text)}</strong> {c.quote && <q>{c.quote}</q>}{" "}
                  <span className={`tag ${c.needs_verification ? "warn" : ""}`}>{t(`dec.mark.${c.mark}` as Key)}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {x.notices.length > 0 && (
        <>
          <h3>{t("dec.notices")}</h3>
          <ul>
            {x.notices.map((n, i) => (
              <li key={i}>{tx(n)}</li>
            ))}
          </ul>
        </>
      )}

      {row.customer_id !== null && s && (
        <>
          <h3>{t("dec.statusTitle")}</h3>
          <div className="status-grid" data-testid="plan-status">
            <span>{t("dec.consent")}</span>
            <AnswerButtons testid="status-consent" value={s.consent} label={answer} onPick={(a) => void change({ ...NO_CHANGE, consent: a })} />
            <span>{t("dec.guardianConsent")}</span>
            <AnswerButtons testid="status-guardian" value={s.guardian_consent} label={answer} onPick={(a) => void change({ ...NO_CHANGE, guardian_consent: a })} />
            <span>{t("dec.objection")}</span>
            <Toggle testid="status-objection" value={s.objection} onPick={(v) => void change({ ...NO_CHANGE, objection: v })} />
            <span>{t("dec.deletionRequest")}</span>
            <Toggle testid="status-deletion" value={s.deletion_request} onPick={(v) => void change({ ...NO_CHANGE, deletion_request: v })} />
            <span>{t("dec.refunded")}</span>
            <Toggle testid="status-refunded" value={s.refunded} onPick={(v) => void change({ ...NO_CHANGE, refunded: v })} />
            <span>{t("dec.deceased")}</span>
            <Toggle testid="status-deceased" value={s.deceased} onPick={(v) => void change({ ...NO_CHANGE, deceased: v })} />
            <span>{t("dec.consentWithdrawn")}</span>
            <Toggle testid="status-consent-withdrawn" value={s.consent_withdrawn} onPick={(v) => void change({ ...NO_CHANGE, consent_withdrawn: v })} />
          </div>
        </>
      )}

      <h3>{t("dec.overrideTitle")}</h3>
      <div className="override-form" data-testid="override-form">
        <div className="inline-form">
          <label htmlFor="override-outcome">{t("dec.overrideTo")}</label>
          <select id="override-outcome" data-testid="override-outcome" value={to} onChange={(e) => setTo(e.target.value as Outcome)}>
            {OUTCOMES.filter((o) => o !== "blocked").map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}` as Key)}
              </option>
            ))}
          </select>
          {row.customer_id !== null && (
            <>
              <label htmlFor="override-scope">{t("dec.overrideScope")}</label>
              <select id="override-scope" data-testid="override-scope" value={scope} onChange={(e) => setScope(e.target.value as "record" | "customer")}>
                <option value="record">{t("dec.scopeRecord")}</option>
                <option value="customer">{t("dec.scopeCustomer")}</option>
              </select>
            </>
          )}
        </div>
        <label htmlFor="override-reason">{t("dec.overrideReason")}</label>
        <textarea id="override-reason" data-testid="override-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        {needsAck && (
          <label className="check">
            <input type="checkbox" data-testid="override-ack" checked={ack} onChange={(e) => setAck(e.target.checked)} />
            {t("dec.acknowledge")}
          </label>
        )}
        <div className="actions left">
          <button className="primary" data-testid="override-save" disabled={!reason.trim() || (needsAck && !ack)} onClick={() => void override()}>
            {t("dec.overrideSave")}
          </button>
          {saved && (
            <span className="saved" role="status" data-testid="override-saved">
              {t("dec.saved")}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

function AnswerButtons(props: { testid: string; value: Answer; label: (a: Answer) => string; onPick: (a: Answer) => void }) {
  return (
    <div className="segmented" role="radiogroup">
      {(["yes", "no", "unknown"] as Answer[]).map((a) => (
        <button key={a} role="radio" aria-checked={props.value === a} className={props.value === a ? "selected" : ""} data-testid={`${props.testid}-${a}`} onClick={() => props.onPick(a)}>
          {props.label(a)}
        </button>
      ))}
    </div>
  );
}

function Toggle(props: { testid: string; value: boolean; onPick: (v: boolean) => void }) {
  const { t } = useI18n();
  return (
    <div className="segmented" role="radiogroup">
      {[true, false].map((v) => (
        <button key={String(v)} role="radio" aria-checked={props.value === v} className={props.value === v ? "selected" : ""} data-testid={`${props.testid}-${v ? "yes" : "no"}`} onClick={() => props.onPick(v)}>
          {v ? t("dec.yes") : t("dec.no")}
        </button>
      ))}
    </div>
  );
}
