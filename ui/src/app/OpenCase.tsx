import { useState } from "react";
import { api, pickCaseFile } from "../api/api";
import type { CaseOverview, ErrorPayload, OpeningProgress } from "../api/bindings";
import { ErrorBox, Field } from "../components/widgets";
import { fill, useI18n } from "../i18n/i18n";

export function OpenCase(props: { initialPath: string | null; onOpened: (o: CaseOverview) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [path, setPath] = useState(props.initialPath ?? "");
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<OpeningProgress | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      props.onOpened(await api.openCase(path, passphrase, setProgress));
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <main className="dialog" onKeyDown={(e) => e.key === "Escape" && props.onCancel()}>
      <h1>{t("openTitle")}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t("caseFile")} htmlFor="open-path">
          <div className="row">
            <input id="open-path" data-testid="open-case-path" value={path} onChange={(e) => setPath(e.target.value)} autoFocus={!props.initialPath} />
            <button type="button" onClick={() => void pickCaseFile(t("openTitle")).then((p) => p && setPath(p))}>
              {t("choose")}
            </button>
          </div>
        </Field>
        <Field label={t("passphrase")} htmlFor="open-passphrase">
          <input
            id="open-passphrase"
            type="password"
            data-testid="open-case-passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoFocus={!!props.initialPath}
          />
        </Field>
        {busy && progress ? <OpeningPanel progress={progress} /> : null}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            {t("back")}
          </button>
          <button type="submit" className="primary" data-testid="open-case-submit" disabled={busy || !path || !passphrase}>
            {busy ? t("working") : t("open")}
          </button>
        </div>
      </form>
    </main>
  );
}

/** What the opening is doing: the page check with its share done, then the steps that cannot count. */
export function OpeningPanel(props: { progress: OpeningProgress }) {
  const { t } = useI18n();
  const { stage, done, total } = props.progress;
  const percent = total > 0 ? Math.min(100, (done / total) * 100) : null;
  return (
    <div className="progress-panel" data-testid="open-case-progress" role="status">
      {percent === null ? <progress /> : <progress max={100} value={percent} />}
      <p>
        {stage === "checking_pages"
          ? fill(t("opening.checkingPages"), { percent: (percent ?? 0).toFixed(0) })
          : stage === "checking_history"
            ? t("opening.checkingHistory")
            : t("opening.counting")}
      </p>
      <p className="hint">{t("opening.why")}</p>
    </div>
  );
}
