import { useState } from "react";
import { api, pickPackageFile, pickSaveCase } from "../api/api";
import type { ErrorPayload, ReceivedCase } from "../api/bindings";
import { ErrorBox, Field } from "../components/widgets";
import { fill, useI18n } from "../i18n/i18n";

/**
 * Receive a handover (home screen): the package and its passphrase from the seller, the new case's file and
 * the recipient's own passphrase. The backend checks the whole package before it makes the case; then the
 * receipt's figures are shown for both sides to compare.
 */
export function ReceiveCase(props: { defaultFolder: string; onOpened: (r: ReceivedCase) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [packagePath, setPackagePath] = useState("");
  const [packagePassphrase, setPackagePassphrase] = useState("");
  const [casePath, setCasePath] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [received, setReceived] = useState<ReceivedCase | null>(null);
  const mismatch = repeat !== "" && repeat !== passphrase;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setReceived(
        await api.receivePackage({
          package_path: packagePath,
          package_passphrase: packagePassphrase,
          case_path: casePath,
          case_passphrase: passphrase,
        }),
      );
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  if (received) {
    const r = received.receipt;
    return (
      <main className="dialog" data-testid="receive-done">
        <h1>{t("recv.received")}</h1>
        <p>{fill(t("recv.from"), { seller: r.seller.name })}</p>
        <p data-testid="receive-counts">
          {fill(t("recv.counts"), { customers: String(r.customers), records: String(r.records), total: r.prepaid_total })}
        </p>
        <p className="hint">
          {t("recv.sha")} <code data-testid="receive-sha256">{r.package_sha256}</code>
        </p>
        <div className="actions">
          <button className="primary" data-testid="receive-open-case" onClick={() => props.onOpened(received)} autoFocus>
            {t("recv.openCase")}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main className="dialog" data-testid="receive-screen" onKeyDown={(e) => e.key === "Escape" && props.onCancel()}>
      <h1>{t("recv.title")}</h1>
      <p className="why">{t("recv.hint")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t("recv.package")} htmlFor="recv-package">
          <div className="row">
            <input id="recv-package" data-testid="receive-package-path" value={packagePath} onChange={(e) => setPackagePath(e.target.value)} autoFocus />
            <button type="button" onClick={() => void pickPackageFile(t("recv.package")).then((p) => p && setPackagePath(p))}>
              {t("choose")}
            </button>
          </div>
        </Field>
        <Field label={t("recv.packagePassphrase")} htmlFor="recv-package-passphrase">
          <input
            id="recv-package-passphrase"
            data-testid="receive-package-passphrase"
            className="passphrase-input"
            autoComplete="off"
            value={packagePassphrase}
            onChange={(e) => setPackagePassphrase(e.target.value)}
          />
        </Field>
        <Field label={t("recv.newCase")} htmlFor="recv-case">
          <div className="row">
            <input id="recv-case" data-testid="receive-case-path" value={casePath} onChange={(e) => setCasePath(e.target.value)} />
            <button
              type="button"
              onClick={() => void pickSaveCase(t("recv.newCase"), `${props.defaultFolder}/`).then((p) => p && setCasePath(p))}
            >
              {t("choose")}
            </button>
          </div>
        </Field>
        <Field label={t("recv.newPassphrase")} htmlFor="recv-passphrase">
          <input id="recv-passphrase" type="password" data-testid="receive-case-passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </Field>
        <Field label={t("recv.repeat")} htmlFor="recv-repeat" error={mismatch ? t("recv.mismatch") : null}>
          <input id="recv-repeat" type="password" data-testid="receive-case-passphrase-repeat" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </Field>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            {t("back")}
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="receive-submit"
            disabled={busy || !packagePath || !packagePassphrase || !casePath || !passphrase || passphrase !== repeat}
          >
            {busy ? t("working") : t("recv.submit")}
          </button>
        </div>
      </form>
    </main>
  );
}
