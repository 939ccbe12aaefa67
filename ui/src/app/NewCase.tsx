import { useEffect, useState } from "react";
import { api, pickFolder } from "../api/api";
import type { BusinessKind, CaseOverview, ErrorPayload, PassphraseCheck, TransferReason } from "../api/bindings";
import { ErrorBox, Field } from "../components/widgets";
import { casePath, KINDS, REASONS } from "../components/forms";
import { type Key, kindLabel, reasonLabel, useI18n } from "../i18n/i18n";

export function NewCase(props: { defaultFolder: string; onCreated: (o: CaseOverview) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<BusinessKind>("shop");
  const [reason, setReason] = useState<TransferReason>("sale-whole");
  const [folder, setFolder] = useState(props.defaultFolder);
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [check, setCheck] = useState<PassphraseCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  // The strength check runs in the backend (the same rule the case file enforces), shortly after typing stops.
  useEffect(() => {
    if (!passphrase) {
      setCheck(null);
      return;
    }
    const timer = setTimeout(() => {
      api.checkPassphrase(passphrase, [name]).then(setCheck, setError);
    }, 200);
    return () => clearTimeout(timer);
  }, [passphrase, name, lang]);

  const path = casePath(folder, name);
  const matches = passphrase === confirm;
  const ready = name.trim() !== "" && folder.trim() !== "" && !!check?.acceptable && matches && !busy;

  const submit = async () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const overview = await api.createCase({
        path,
        passphrase,
        details: {
          kind,
          reason,
          seller: { name: name.trim(), contact: "", responsible_person: "" },
          recipient: null,
          handover_date: null,
          notes: "",
        },
      });
      props.onCreated(overview);
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="dialog wide" onKeyDown={(e) => e.key === "Escape" && props.onCancel()}>
      <h1>{t("newCaseTitle")}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t("businessName")} hint={t("businessNameHint")} htmlFor="nc-name">
          <input id="nc-name" data-testid="new-case-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={200} />
        </Field>

        <fieldset>
          <legend>{t("businessKind")}</legend>
          <div className="cards three">
            {KINDS.map((k) => (
              <label key={k} className={`card ${kind === k ? "selected" : ""}`}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`new-case-kind-${k}`} />
                <span className="card-title">{kindLabel(t, k)}</span>
                <span className="card-hint">{t(`kindHint.${k}` as Key)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t("reason")}</legend>
          <div className="cards two">
            {REASONS.map((r) => (
              <label key={r} className={`card ${reason === r ? "selected" : ""}`}>
                <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} data-testid={`new-case-reason-${r}`} />
                <span className="card-title">{reasonLabel(t, r)}</span>
                <span className="card-hint">{t(`reasonHint.${r}` as Key)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <Field label={t("saveIn")} htmlFor="nc-folder">
          <div className="row">
            <input id="nc-folder" data-testid="new-case-folder" value={folder} onChange={(e) => setFolder(e.target.value)} />
            <button type="button" onClick={() => void pickFolder(folder).then((f) => f && setFolder(f))}>
              {t("choose")}
            </button>
          </div>
          <div className="hint">
            {t("fileWillBe")} <code data-testid="new-case-path-preview">{path}</code>
          </div>
        </Field>

        <div className="notice">
          <p>{t("passphraseWhy")}</p>
          <p>
            <strong>{t("passphraseWarning")}</strong>
          </p>
        </div>
        <div className="row two">
          <Field label={t("passphrase")} htmlFor="nc-pass">
            <input id="nc-pass" type="password" data-testid="new-case-passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label={t("passphraseConfirm")} htmlFor="nc-pass2" error={confirm && !matches ? t("passphraseMismatch") : null}>
            <input id="nc-pass2" type="password" data-testid="new-case-passphrase-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" />
          </Field>
        </div>
        <div className="strength" data-testid="passphrase-strength" data-acceptable={check?.acceptable ? "true" : "false"} aria-live="polite">
          <div className="meter">
            {[0, 1, 2, 3].map((i) => (
              <span key={i} className={check && check.score > i ? (check.acceptable ? "on ok" : "on weak") : ""} />
            ))}
          </div>
          <span>{check?.message ?? ""}</span>
        </div>

        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            {t("cancel")}
          </button>
          <button type="submit" className="primary" data-testid="new-case-submit" disabled={!ready}>
            {busy ? t("working") : t("create")}
          </button>
        </div>
      </form>
    </main>
  );
}
