// One checklist item: its text and help, the owner's answer (done / does not apply with a reason / later),
// a note and evidence files. Every change is saved at once and the new review comes back. An item answered
// by the case details or by the app's own figures (`derived_from`) shows its state and where it comes from
// instead of the buttons: the figure that answers it ("已发现 1 名未满14周岁的儿童"), or, while it is not
// known, why and a button to the step to do first.
import { useEffect, useRef, useState } from "react";
import { api, pickEvidenceFile, pickSaveFile } from "../api/api";
import type { Citation, ErrorPayload, ItemState, Law, ReviewItem, StepId } from "../api/bindings";
import { useCase, useMutation } from "../case/CaseContext";
import { useWizardNav } from "../case/nav";
import { formatSize } from "../components/format";
import { ErrorBox } from "../components/widgets";
import { fill, type Key, localTime, pick, useI18n } from "../i18n/i18n";

export function citationLabel(c: Citation, laws: Law[], lang: "zh-CN" | "en", t: (k: Key) => string): string {
  const law = laws.find((l) => l.id === c.law);
  const name = law ? pick(law.name, lang) : c.law;
  const article = fill(t("wizard.article"), { a: c.article });
  return `${name}${lang === "en" ? " " : ""}${article}${c.mark === "checked" ? "" : `（${t("wizard.toVerify")}）`}`;
}

export function ChecklistItem(props: { entry: ReviewItem; laws: Law[]; step?: StepId; highlight?: boolean }) {
  const { t, lang } = useI18n();
  // Each answer comes back as the whole new review.
  const setItemState = useMutation(api.setItemState, { returns: "review" });
  const setItemNote = useMutation(api.setItemNote, { returns: "review" });
  const attachEvidence = useMutation(api.attachEvidence, { returns: "review" });
  const removeEvidence = useMutation(api.removeEvidence, { returns: "review" });
  const { item, progress } = props.entry;
  const fromData = props.entry.from_data;
  const { review } = useCase();
  const { go } = useWizardNav();
  // A way to the step to do first, unless the owner is on it already.
  const goTo =
    fromData && !fromData.answered && fromData.go_to && fromData.go_to !== props.step
      ? (review?.steps.find((s) => s.id === fromData.go_to) ?? null)
      : null;
  const id = item.id;
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState(progress.reason);
  const [note, setNote] = useState(progress.note);
  const [noteSaved, setNoteSaved] = useState(false);
  const [attaching, setAttaching] = useState(false);
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const noteFocused = useRef(false);
  const root = useRef<HTMLElement>(null);

  // The saved note wins unless the owner is typing in it.
  useEffect(() => {
    if (!noteFocused.current) setNote(progress.note);
  }, [progress.note]);
  useEffect(() => {
    if (props.highlight) root.current?.scrollIntoView({ block: "center" });
  }, [props.highlight]);

  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      await f();
      return true;
    } catch (e) {
      setError(e as ErrorPayload);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const setState = (s: ItemState, r = "") => {
    // Clicking the answer already chosen takes it back.
    const next = progress.state === s && s !== "not_applicable" ? "open" : s;
    return run(() => setItemState(id, next, r));
  };

  const saveNote = async () => {
    if (note.trimEnd() === progress.note) return;
    if (await run(() => setItemNote(id, note))) setNoteSaved(true);
  };

  const attach = async (p: string) => {
    if (await run(() => attachEvidence(id, p))) {
      setPath("");
      setAttaching(false);
    }
  };

  const choose = async () => {
    const p = await pickEvidenceFile(t("wizard.attach"));
    if (p) await attach(p);
  };

  const saveCopy = async (evidenceId: number, name: string) => {
    const target = await pickSaveFile(t("wizard.saveCopy"), name);
    if (target === null) return;
    try {
      await api.exportEvidence(evidenceId, target);
      setNotice(t("wizard.savedCopy"));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const stateButton = (s: ItemState, suffix: string, onClick: () => void) => (
    <button
      type="button"
      className={`state-button ${s}${progress.state === s ? " chosen" : ""}`}
      aria-pressed={progress.state === s}
      data-testid={`item-${id}-${suffix}`}
      disabled={busy}
      onClick={onClick}
    >
      {progress.state === s ? "✓ " : ""}
      {t(`state.${s}` as Key)}
    </button>
  );

  return (
    <article
      ref={root}
      id={`item-${id}`}
      className={`item state-${progress.state}${item.applies ? "" : " inapplicable"}${props.highlight ? " highlight" : ""}`}
      data-testid={`item-${id}`}
      data-state={progress.state}
      data-applies={item.applies ? "true" : "false"}
    >
      <div className="item-head">
        <p className="item-text">{pick(item.text, lang)}</p>
        {item.blocks_printing && (
          <span className="badge" title={t("wizard.requiredHint")}>
            {t("wizard.required")}
          </span>
        )}
      </div>
      {(item.help || item.citations.length > 0) && (
        <details className="item-help">
          <summary>{t("wizard.more")}</summary>
          {item.help && <p>{pick(item.help, lang)}</p>}
          {item.citations.length > 0 && (
            <p className="muted">{item.citations.map((c) => citationLabel(c, props.laws, lang, t)).join("；")}</p>
          )}
        </details>
      )}

      {!item.applies ? (
        <p className="muted" data-testid={`item-${id}-inapplicable`}>
          {t("wizard.itemNotApplicable")}
          {item.not_applicable_reason ? pick(item.not_applicable_reason, lang) : ""}
        </p>
      ) : (
        <>
          {fromData ? (
            <div className={`from-details from-data ${progress.state}`} data-testid={`item-${id}-from-data`} data-answered={fromData.answered ? "true" : "false"}>
              <span className="state-tag">
                {progress.state === "done" ? "✓ " : ""}
                {t(fromData.answered ? "wizard.figureKnown" : fromData.figure ? "wizard.figureWaiting" : "wizard.figureNotYet")}
              </span>
              <span className="figure" data-testid={`item-${id}-figure`}>
                {pick(fromData.note, lang)}
              </span>
              {goTo && (
                <button type="button" className="link" data-testid={`item-${id}-go-to`} onClick={() => go(goTo.id)}>
                  {fill(t("wizard.goToStep"), { n: goTo.number, title: pick(goTo.title, lang) })}
                </button>
              )}
              <span className="muted small">{t("wizard.fromData")}</span>
            </div>
          ) : item.derived_from ? (
            <p className={`from-details ${progress.state}`} data-testid={`item-${id}-from-details`}>
              <span className="state-tag">
                {progress.state === "done" ? "✓ " : ""}
                {t(`state.${progress.state}` as Key)}
              </span>
              {props.entry.from_case_details ? pick(props.entry.from_case_details, lang) : ""}
            </p>
          ) : (
            <>
              <div className="state-buttons" role="group" aria-label={pick(item.text, lang)}>
                {stateButton("done", "done", () => void setState("done"))}
                {stateButton("not_applicable", "na", () => {
                  setReason(progress.reason);
                  setAsking(true);
                })}
                {stateButton("later", "later", () => void setState("later"))}
              </div>
              {asking && (
                <form
                  className="reason-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void setState("not_applicable", reason).then((ok) => ok && setAsking(false));
                  }}
                >
                  <label htmlFor={`item-${id}-reason`}>{t("wizard.reasonPrompt")}</label>
                  <div className="row">
                    <input
                      id={`item-${id}-reason`}
                      data-testid={`item-${id}-reason`}
                      autoFocus
                      maxLength={1000}
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      onKeyDown={(e) => e.key === "Escape" && setAsking(false)}
                    />
                    <button type="submit" className="primary" data-testid={`item-${id}-reason-save`} disabled={!reason.trim() || busy}>
                      {t("wizard.reasonSave")}
                    </button>
                    <button type="button" onClick={() => setAsking(false)}>
                      {t("cancel")}
                    </button>
                  </div>
                </form>
              )}
              {progress.state === "not_applicable" && !asking && (
                <p className="reason" data-testid={`item-${id}-reason-text`}>
                  {t("wizard.reason")}：{progress.reason}
                </p>
              )}
            </>
          )}

          <div className="item-note">
            <label htmlFor={`item-${id}-note`}>{t("wizard.note")}</label>
            <textarea
              id={`item-${id}-note`}
              data-testid={`item-${id}-note`}
              rows={2}
              maxLength={5000}
              placeholder={t("wizard.notePlaceholder")}
              value={note}
              onFocus={() => {
                noteFocused.current = true;
              }}
              onChange={(e) => {
                setNote(e.target.value);
                setNoteSaved(false);
              }}
              onBlur={() => {
                noteFocused.current = false;
                void saveNote();
              }}
            />
            {noteSaved && note.trimEnd() === progress.note && (
              <span className="saved small" role="status" data-testid={`item-${id}-note-saved`}>
                ✓ {t("wizard.noteSaved")}
              </span>
            )}
          </div>

          <div className="evidence">
            {progress.evidence.length > 0 && (
              <ul data-testid={`item-${id}-evidence`}>
                {progress.evidence.map((e) => (
                  <li key={e.id} data-testid="evidence-file">
                    <span className="file-name">📎 {e.file_name}</span>
                    <span className="muted small">
                      {formatSize(e.size_bytes)} · SHA-256 {e.sha256.slice(0, 12)}… · {localTime(e.added_at, lang)}
                    </span>
                    <button type="button" className="link" onClick={() => void saveCopy(e.id, e.file_name)}>
                      {t("wizard.saveCopy")}
                    </button>
                    <button
                      type="button"
                      className="link"
                      data-testid={`evidence-remove-${e.id}`}
                      onClick={() => {
                        if (window.confirm(t("wizard.removeEvidenceConfirm"))) void run(() => removeEvidence(e.id));
                      }}
                    >
                      {t("wizard.removeEvidence")}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {attaching ? (
              <div className="attach-panel">
                <p className="hint">{t("wizard.evidenceHint")}</p>
                <div className="row">
                  <button type="button" data-testid={`item-${id}-evidence-choose`} onClick={() => void choose()} disabled={busy}>
                    {t("wizard.attachChoose")}
                  </button>
                  <input
                    aria-label={t("wizard.attachPath")}
                    placeholder={t("wizard.attachPath")}
                    data-testid={`item-${id}-evidence-path`}
                    value={path}
                    onChange={(e) => setPath(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && path.trim()) void attach(path.trim());
                      if (e.key === "Escape") setAttaching(false);
                    }}
                  />
                  <button type="button" data-testid={`item-${id}-evidence-add`} disabled={!path.trim() || busy} onClick={() => void attach(path.trim())}>
                    {t("wizard.attachAdd")}
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" className="link" data-testid={`item-${id}-attach`} onClick={() => setAttaching(true)}>
                {t("wizard.attach")}
              </button>
            )}
          </div>
          {progress.updated_at && progress.actor && (!item.derived_from || progress.note) && (
            <p className="muted small">{fill(t("wizard.byAt"), { who: progress.actor, at: localTime(progress.updated_at, lang) })}</p>
          )}
        </>
      )}
      <ErrorBox error={error} />
      {notice && (
        <p className="saved small" role="status">
          {notice}
        </p>
      )}
    </article>
  );
}
