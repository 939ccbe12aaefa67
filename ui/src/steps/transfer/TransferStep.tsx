import { useState } from "react";
import { api, pickSavePackage } from "../../api/api";
import type { ErrorPayload, ExportedPackage } from "../../api/bindings";
import { useCase, useCaseQuery, useMutation } from "../../case/CaseContext";
import { ErrorBox } from "../../components/widgets";
import { fill, useI18n } from "../../i18n/i18n";

/** The passphrase in groups of four digits, one box each, large enough to read out over the phone. */
export function PassphraseGroups({ passphrase }: { passphrase: string }) {
  return (
    <div className="passphrase-groups" data-testid="package-passphrase" data-passphrase={passphrase}>
      {passphrase.split("-").map((g, i) => (
        <span key={i} className="passphrase-group">
          {g}
        </span>
      ))}
    </div>
  );
}

/**
 * Hand over (step 8): the encrypted package for the recipient, saved through a save dialog; its passphrase
 * is shown once, in large groups, until the owner confirms having written it down.
 */
export function TransferStep() {
  const { t } = useI18n();
  const { overview } = useCase();
  const plan = useCaseQuery("plan", api.planSummary);
  const [exported, setExported] = useState<ExportedPackage | null>(null);
  const [writtenDown, setWrittenDown] = useState(false);
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  // Writes the package and an audit entry; nothing the screens show of the case changes but the log.
  const exportPackage = useMutation(api.exportPackage, { invalidates: [] });
  const summary = plan.data ?? null;
  const transfers = summary?.outcomes.find((o) => o.outcome === "transfer")?.count ?? 0;
  const ready = summary !== null && !summary.stale;

  const run = async () => {
    setError(null);
    const name = `${overview.details.seller.name || "handover"}-${overview.details.recipient?.name ?? ""}.hopkg`;
    const target = await pickSavePackage(t("xfer.saveTitle"), name);
    if (target === null) return;
    setBusy(true);
    try {
      setExported(await exportPackage(target));
      setWrittenDown(false);
      setHidden(false);
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="transfer-screen">
      <h1>{t("xfer.title")}</h1>
      <p className="why">{t("xfer.why")}</p>
      <ErrorBox error={failed ?? plan.error} />
      {!ready && <p className="notice" data-testid="transfer-not-ready">{t("xfer.noPlan")}</p>}
      {ready && transfers === 0 && <p className="notice">{t("xfer.nothing")}</p>}
      {ready && transfers > 0 && (
        <>
          <p>{fill(t("xfer.ready"), { records: String(transfers) })}</p>
          <button className="primary" data-testid="export-package" disabled={busy} onClick={() => void run()}>
            {busy ? t("working") : t("xfer.export")}
          </button>
        </>
      )}
      {exported && (
        <div className="package-result" data-testid="package-result">
          <p>{fill(t("xfer.done"), { path: exported.path })}</p>
          <p>
            {fill(t("xfer.counts"), {
              customers: String(exported.customers),
              records: String(exported.records),
              total: exported.prepaid_total,
            })}
          </p>
          <p className="hint">
            {t("xfer.sha")} <code data-testid="package-sha256">{exported.sha256}</code>
          </p>
          {!hidden ? (
            <div className="passphrase-once">
              <h2>{t("xfer.passphraseTitle")}</h2>
              <PassphraseGroups passphrase={exported.passphrase} />
              <p className="hint">{t("xfer.passphraseHint")}</p>
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="passphrase-written"
                  checked={writtenDown}
                  onChange={(e) => setWrittenDown(e.target.checked)}
                />{" "}
                {t("xfer.writtenDown")}
              </label>
              <div className="actions">
                <button
                  className="primary"
                  data-testid="passphrase-done"
                  disabled={!writtenDown}
                  onClick={() => {
                    setHidden(true);
                    setExported({ ...exported, passphrase: "" });
                  }}
                >
                  {t("xfer.close")}
                </button>
              </div>
            </div>
          ) : (
            <p className="hint" data-testid="passphrase-hidden">{t("xfer.closed")}</p>
          )}
        </div>
      )}
    </section>
  );
}
