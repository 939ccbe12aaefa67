import { useEffect, useState } from "react";
import { api } from "../api/api";
import type { AuditReport, ErrorPayload } from "../api/bindings";
import { useCase, useCaseQuery, useMutation } from "../case/CaseContext";
import { ErrorBox } from "../components/widgets";
import { type Key, fill, kindLabel, localTime, reasonLabel, tryT, useI18n } from "../i18n/i18n";

/** "what changed" of an audit entry in plain words, from its JSON detail. */
export function describeChanges(detail: string, label: (field: string) => string): string {
  try {
    const parsed = JSON.parse(detail) as { changes?: { field: string }[] };
    return (parsed.changes ?? []).map((c) => label(c.field)).join("、");
  } catch {
    return "";
  }
}

export function Overview() {
  const { t, lang } = useI18n();
  const { overview } = useCase();
  const audit = useCaseQuery("audit", api.auditLog);
  const entries = audit.data ?? [];
  const [report, setReport] = useState<AuditReport | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const acknowledge = useMutation(api.acknowledgeAuditBreak, { returns: "overview", invalidates: [] });
  const d = overview.details;
  const or = (s: string) => (s.trim() ? s : t("none"));

  // A check shown was of the log as it was.
  useEffect(() => setReport(null), [audit.data]);

  const verify = async () => {
    try {
      setReport(await api.verifyAudit());
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  return (
    <section data-testid="overview-screen">
      <h1>{t("overviewTitle")}</h1>
      {overview.audit_break && (
        <div className="error" role="alert" data-testid="audit-broken-banner">
          <h2>{t("auditBrokenTitle")}</h2>
          <p>{fill(t("auditBrokenText"), { seq: String(overview.audit_break.seq) })}</p>
          <button data-testid="audit-broken-acknowledge" onClick={() => void acknowledge().catch((e) => setError(e as ErrorPayload))}>
            {t("auditBrokenAcknowledge")}
          </button>
        </div>
      )}
      <div className="summary">
        <dl>
          <dt>{t("businessKind")}</dt>
          <dd>{kindLabel(t, d.kind)}</dd>
          <dt>{t("reason")}</dt>
          <dd>{reasonLabel(t, d.reason)}</dd>
          <dt>{t("seller")}</dt>
          <dd data-testid="overview-seller-name">
            {d.seller.name} · {or(d.seller.contact)} · {t("responsible")}: {or(d.seller.responsible_person)}
          </dd>
          <dt>{t("recipient")}</dt>
          <dd data-testid="overview-recipient">{d.recipient ? `${or(d.recipient.name)} · ${or(d.recipient.contact)}` : t("noneRecipient")}</dd>
          <dt>{t("handoverDate")}</dt>
          <dd>{d.handover_date ?? t("none")}</dd>
          <dt>{t("caseFile")}</dt>
          <dd className="path">{overview.path}</dd>
        </dl>
      </div>

      <h2>{t("counts")}</h2>
      <div className="counts" data-testid="overview-counts">
        <div>
          <span className="n">{overview.sources.toLocaleString()}</span>
          {t("sources")}
        </div>
        <div>
          <span className="n">{overview.customers.toLocaleString()}</span>
          {t("customers")}
        </div>
        <div>
          <span className="n">{overview.records.toLocaleString()}</span>
          {t("records")}
        </div>
      </div>
      {overview.records === 0 ? <p className="muted">{t("countsHint")}</p> : null}

      {overview.problems.length > 0 && (
        <div className="todo">
          <h2>{t("stillToDo")}</h2>
          <ul>
            {overview.problems.map((p) => (
              <li key={p.field + p.code}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}

      <h2>{t("auditTitle")}</h2>
      <p className="muted">{t("auditHint")}</p>
      <p className="muted">
        {t("auditHead")}: <code data-testid="audit-head-hash">{overview.audit_head_hash ?? t("none")}</code>
      </p>
      <ErrorBox error={error ?? audit.error} />
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("auditTime")}</th>
            <th>{t("auditWho")}</th>
            <th>{t("auditWhat")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const changed = describeChanges(e.detail, (f) => tryT(lang, `field.${f}`));
            return (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{localTime(e.at, lang)}</td>
                <td>{e.actor}</td>
                <td>
                  {tryT(lang, `action.${e.action}`)}
                  {changed && `：${changed}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions left">
        <button data-testid="audit-verify-button" onClick={() => void verify()}>
          {t("verifyAudit" as Key)}
        </button>
        {report && (
          <span className={report.ok ? "saved" : "error inline"} data-testid="audit-verify-result" data-ok={report.ok ? "true" : "false"}>
            {report.ok ? "✓ " : "✗ "}
            {report.message}
          </span>
        )}
      </div>
    </section>
  );
}
