import { useState } from "react";
import { api, pickSaveBackup, pickSaveDocument } from "../../api/api";
import type { CopyReport, DestructionReport, ErrorPayload, SavedDocument } from "../../api/bindings";
import { useCase, useCaseQuery, useMutation } from "../../case/CaseContext";
import { ErrorBox } from "../../components/widgets";
import { fill, useI18n } from "../../i18n/i18n";
import {
  canDestroy,
  certificateFigures,
  certificateFileName,
  hasWork,
  keptCounts,
  planReady,
  previewLines,
} from "./logic";

/** The certificate just made (or the newest one stored), with its "save as PDF" button. */
function Certificate({ report }: { report: DestructionReport }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState<SavedDocument | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const save = useMutation(api.saveCertificate, { invalidates: [] });
  const f = certificateFigures(report);
  const run = async () => {
    setError(null);
    const target = await pickSaveDocument(t("dest.saveTitle"), certificateFileName(report));
    if (target === null) return;
    try {
      setSaved(await save(target));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };
  return (
    <div className="certificate" data-testid="certificate">
      <h2>{fill(t("dest.certTitle"), { reference: report.certificate.reference })}</h2>
      <p className={f.passed ? "ok" : "notice"} data-testid="certificate-result">
        {f.passed ? t("dest.passed") : t("dest.failed")}
      </p>
      <p data-testid="certificate-counts">{fill(t("dest.counts"), f.counts)}</p>
      <p>{fill(t("dest.verification"), f.verification)}</p>
      <p className="hint">
        {fill(t("dest.audit"), { seq: report.audit_seq })} <code>{report.audit_hash}</code>
      </p>
      <p className="hint">{t("dest.advice")}</p>
      <ErrorBox error={failed} />
      <button className="primary" data-testid="save-certificate" onClick={() => void run()}>
        {t("dest.saveCert")}
      </button>
      {saved && <p data-testid="certificate-saved">{fill(t("dest.saved"), { path: saved.path })}</p>}
    </div>
  );
}

/** A backup of the open case, through a save dialog, with the case passphrase. */
function Backup() {
  const { t } = useI18n();
  const { overview } = useCase();
  const [passphrase, setPassphrase] = useState("");
  const [done, setDone] = useState<CopyReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const backup = useMutation(api.backupCase, { invalidates: ["plan"] });
  const run = async () => {
    setError(null);
    const name = `${overview.details.seller.name || "handover"}-backup.handover`;
    const target = await pickSaveBackup(t("dest.backupSaveTitle"), name);
    if (target === null) return;
    setBusy(true);
    try {
      setDone(await backup(target, passphrase));
      setPassphrase("");
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="backup" data-testid="backup">
      <h2>{t("dest.backupTitle")}</h2>
      <p className="hint">{t("dest.backupHint")}</p>
      <label htmlFor="backup-passphrase">{t("dest.backupPassphrase")}</label>
      <input
        id="backup-passphrase"
        type="password"
        data-testid="backup-passphrase"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
      />
      <ErrorBox error={failed} />
      <button data-testid="backup-case" disabled={busy || passphrase.length === 0} onClick={() => void run()}>
        {busy ? t("working") : t("dest.backup")}
      </button>
      {done && <p data-testid="backup-done">{fill(t("dest.backupDone"), { path: done.path })}</p>}
    </div>
  );
}

/**
 * Destruction (step 9): what the plan deletes, a plain warning with a tick and the case passphrase, a progress
 * indicator while it runs, then the certificate with a button to save it as PDF; a backup button below.
 */
export function DestructionStep() {
  const { t } = useI18n();
  const preview = useCaseQuery("plan", api.destructionPreview);
  const stored = useCaseQuery("audit", api.latestCertificate);
  const [confirmed, setConfirmed] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<DestructionReport | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const destroy = useMutation(api.destroyCase, { invalidates: ["overview", "plan", "customers", "classification", "review"] });
  const p = preview.data;
  const shown = report ?? stored.data ?? null;

  const run = async () => {
    setError(null);
    setBusy(true);
    try {
      setReport(await destroy({ confirmed, passphrase }));
      setPassphrase("");
      setConfirmed(false);
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="destruction-screen">
      <h1>{t("dest.title")}</h1>
      <p className="why">{t("dest.why")}</p>
      <ErrorBox error={failed ?? preview.error} />
      {p && !planReady(p) && (
        <p className="notice" data-testid="destruction-not-ready">
          {t("dest.notReady")}
        </p>
      )}
      {p && planReady(p) && (
        <div data-testid="destruction-preview">
          {previewLines(p).map((l) => (
            <p key={l.key}>{fill(t(l.key), { records: l.records })}</p>
          ))}
          {!hasWork(p) && <p>{t("dest.nothing")}</p>}
          <p className="hint">{fill(t("dest.kept"), keptCounts(p))}</p>
          {p.paper.length > 0 && (
            <div className="paper">
              <h2>{t("dest.paperTitle")}</h2>
              <ul>
                {p.paper.map((l) => (
                  <li key={l.source_id}>
                    {l.label}
                    {l.destroyed_on ? ` ✓ ${l.destroyed_on} · ${l.witness ?? ""}` : ""}
                  </li>
                ))}
              </ul>
              <p className="hint">{t("dest.paperHint")}</p>
            </div>
          )}
          {p.backups.length > 0 && (
            <div className="notice" data-testid="destruction-backups">
              <p>{t("dest.backupsWarn")}</p>
              <ul>
                {p.backups.map((b) => (
                  <li key={b.path + b.at}>
                    {b.path} · {b.at}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {hasWork(p) && (
            <div className="danger-zone" data-testid="destruction-confirm">
              <h2>{t("dest.warnTitle")}</h2>
              <p>{t("dest.warn")}</p>
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="destroy-understood"
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                />{" "}
                {t("dest.confirmCheck")}
              </label>
              <div className="field">
                <label htmlFor="destroy-passphrase">{t("dest.passphrase")}</label>
                <input
                  id="destroy-passphrase"
                  type="password"
                  data-testid="destroy-passphrase"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                />
              </div>
              <div className="actions">
                <button
                  className="danger"
                  data-testid="destroy-start"
                  disabled={!canDestroy(p, confirmed, passphrase, busy)}
                  onClick={() => void run()}
                >
                  {t("dest.start")}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
      {busy && (
        <div data-testid="destruction-progress">
          <progress />
          <p>{t("dest.working")}</p>
        </div>
      )}
      {shown && !busy && <Certificate report={shown} />}
      <Backup />
    </section>
  );
}
