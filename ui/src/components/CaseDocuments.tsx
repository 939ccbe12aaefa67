// Saving the documents filled from the whole case (the handover summary, the data-security agreement, the
// impact assessment) as PDF or DOCX through the save dialog, and the operator (经办人) they name.
import { useEffect, useState } from "react";
import { api, pickSaveDocumentAs } from "../api/api";
import type { CaseDocument, DocumentRequest, ErrorPayload, SavedCaseDocument } from "../api/bindings";
import { fill, type Key, useI18n } from "../i18n/i18n";
import { ErrorBox } from "./widgets";

/** The suggested file name: the business and the document, e.g. 张记驿站-交接清单.pdf. */
export function documentFileName(business: string, documentLabel: string, format: "pdf" | "docx"): string {
  const safe = (business.trim() || "handover").replace(/[\\/:*?"<>|\s]+/g, "-");
  return `${safe}-${documentLabel}.${format}`;
}

/**
 * Save buttons for one case document (PDF and DOCX), with a draft choice and what was written. `save` is the
 * step's mutation (so the case's data refreshes after it); `business` names the suggested file.
 */
export function SaveCaseDocument({
  document,
  openBlocking,
  business,
  save,
}: {
  document: CaseDocument;
  openBlocking: number;
  business: string;
  save: (target: number, request: DocumentRequest) => Promise<SavedCaseDocument>;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedCaseDocument | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const label = t(`papers.doc.${document}` as Key);
  const run = async (format: "pdf" | "docx") => {
    setError(null);
    const name = documentFileName(business, label, format);
    const target = await pickSaveDocumentAs(format, fill(t("papers.saveTitle"), { document: label }), name);
    if (target === null) return;
    setBusy(true);
    try {
      setSaved(await save(target, { document, draft, operator: "" }));
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="case-document" data-testid={`document-${document}`}>
      {openBlocking > 0 ? (
        <p className="notice" data-testid={`document-${document}-forced-draft`}>
          {fill(t("papers.draftForced"), { n: openBlocking })}
        </p>
      ) : (
        <label className="check">
          <input type="checkbox" data-testid={`document-${document}-draft`} checked={draft} onChange={(e) => setDraft(e.target.checked)} />
          {t("papers.draft")}
        </label>
      )}
      <div className="actions left">
        <button className="primary" data-testid={`save-${document}-pdf`} disabled={busy} onClick={() => void run("pdf")}>
          {busy ? t("working") : t("papers.savePdf")}
        </button>
        <button data-testid={`save-${document}-docx`} disabled={busy} onClick={() => void run("docx")}>
          {t("papers.saveDocx")}
        </button>
      </div>
      <ErrorBox error={failed} />
      {saved && (
        <div className="saved" data-testid={`document-${document}-saved`} data-path={saved.saved.path} data-draft={saved.draft ? "true" : "false"}>
          <p>
            {saved.saved.pages !== null
              ? fill(t("papers.saved"), { path: saved.saved.path, pages: saved.saved.pages })
              : fill(t("papers.savedDocx"), { path: saved.saved.path })}{" "}
            <code className="hash">{saved.saved.sha256}</code>
          </p>
          {saved.annex && (
            <p>
              {fill(t("papers.annex"), { path: saved.annex.path, rows: saved.annex.rows })} <code className="hash">{saved.annex.sha256}</code>
            </p>
          )}
          {saved.draft && <p className="notice">{t("papers.savedDraft")}</p>}
          {saved.saved.format === "pdf" && <p className="hint">{t("papers.print")}</p>}
        </div>
      )}
    </div>
  );
}

/**
 * The operator (经办人): the name documents print and the audit log records beside the computer account;
 * blank, the case's responsible person (`responsible`).
 */
export function OperatorField({ responsible: responsiblePerson }: { responsible: string }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [savedName, setSavedName] = useState<string | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    let live = true;
    api.operator().then(
      (n) => live && setName(n),
      (e) => live && setError(e as ErrorPayload),
    );
    return () => {
      live = false;
    };
  }, []);
  const responsible = responsiblePerson || t("none");
  const save = async () => {
    setError(null);
    try {
      await api.setOperator(name);
      setSavedName(name.trim() || responsible);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };
  return (
    <div className="operator" data-testid="operator">
      <label htmlFor="operator-name">{t("papers.operator")}</label>
      <div className="row">
        <input
          id="operator-name"
          data-testid="operator-name"
          value={name}
          maxLength={200}
          placeholder={responsible}
          onChange={(e) => {
            setName(e.target.value);
            setSavedName(null);
          }}
        />
        <button data-testid="operator-save" onClick={() => void save()}>
          {t("papers.operatorSave")}
        </button>
      </div>
      <p className="hint">{fill(t("papers.operatorHint"), { name: responsible })}</p>
      {savedName !== null && (
        <p className="ok" data-testid="operator-saved">
          {fill(t("papers.operatorSaved"), { name: savedName })}
        </p>
      )}
      <ErrorBox error={failed} />
    </div>
  );
}
