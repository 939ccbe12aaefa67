import { useState } from "react";
import { api, pickSaveCsv, pickTableFile } from "../../api/api";
import type { ErrorPayload, FieldType, ImportPreview, ImportSummary, Progress, ReadChoices } from "../../api/bindings";
import { useCase, useMutation } from "../../case/CaseContext";
import { ErrorBox, Field } from "../../components/widgets";
import { FIELD_TYPES, fill, type Key, localTime, useI18n } from "../../i18n/i18n";
import { useWizardNav } from "../../case/nav";

type Phase =
  | { kind: "choose" }
  | { kind: "preview"; preview: ImportPreview }
  | { kind: "running"; preview: ImportPreview; progress: Progress | null; cancelling: boolean }
  | { kind: "review"; preview: ImportPreview; summary: ImportSummary };

const ENCODINGS = ["UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"];
const DELIMITERS = [",", "\t", ";", "|"];
const FRESH_CHOICES: ReadChoices = { encoding: null, delimiter: null, sheet: null, header_row: null };

/** Step 2 (inventory, files part): choose a file, check how it is read, map its columns, import, review, commit. */
export function ImportStep() {
  const { t } = useI18n();
  const { overview } = useCase();
  const { setBusy } = useWizardNav();
  // Committed or discarded, the import changes the counts, the checklist and everything computed from records.
  const imported = { returns: "overview", invalidates: ["review", "classification", "minimisation", "plan", "customers"] } as const;
  const commitImport = useMutation(api.commitImport, imported);
  const discardImport = useMutation(api.discardImport, imported);
  const [phase, setPhase] = useState<Phase>({ kind: "choose" });
  const [path, setPath] = useState("");
  const [choices, setChoices] = useState<ReadChoices>(FRESH_CHOICES);
  // The file the current choices belong to.
  const [readPath, setReadPath] = useState("");
  const [fields, setFields] = useState<FieldType[]>([]);
  const [allowDuplicate, setAllowDuplicate] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A workbook's sheets are imported one at a time: the sheets of this file already imported, and the ones left.
  const [doneSheets, setDoneSheets] = useState<string[]>([]);
  const [sheetsLeft, setSheetsLeft] = useState<string[]>([]);

  // The choices a preview was read with are the ones the import uses (a sheet picked from "import the next
  // sheet" included).
  const read = async (p: string, c: ReadChoices) => {
    setChoices(c);
    setReadPath(p);
    setError(null);
    setNotice(null);
    try {
      const preview = await api.previewImport(p, c);
      setFields(preview.columns.map((col) => col.field));
      setAllowDuplicate(false);
      setPhase({ kind: "preview", preview });
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  // The path typed in the field: the same file keeps the owner's choices; another file starts again from what
  // is detected (a sheet name or encoding chosen for the last file means nothing for this one).
  const readTyped = () => {
    const p = path.trim();
    if (p === readPath) {
      void read(p, choices);
    } else {
      setDoneSheets([]);
      setSheetsLeft([]);
      void read(p, FRESH_CHOICES);
    }
  };

  const choose = async () => {
    const p = await pickTableFile(t("import.choose"));
    if (p) {
      setPath(p);
      setDoneSheets([]);
      setSheetsLeft([]);
      await read(p, FRESH_CHOICES);
    }
  };

  const change = (c: Partial<ReadChoices>) => {
    const next = { ...choices, ...c };
    setChoices(next);
    void read(path, next);
  };

  const start = async (preview: ImportPreview) => {
    setError(null);
    setPhase({ kind: "running", preview, progress: null, cancelling: false });
    setBusy(true);
    try {
      const summary = await api.startImport({ path, choices, fields, allow_duplicate: allowDuplicate }, (progress) =>
        setPhase((ph) => (ph.kind === "running" ? { ...ph, progress } : ph)),
      );
      setPhase({ kind: "review", preview, summary });
    } catch (e) {
      const err = e as ErrorPayload;
      if (err.code === "cancelled") {
        setNotice(t("import.cancelled"));
        setPhase({ kind: "preview", preview });
      } else {
        setError(err);
        setPhase({ kind: "preview", preview });
      }
    } finally {
      setBusy(false);
    }
  };

  const finish = async (commit: boolean) => {
    setError(null);
    const preview = phase.kind === "review" ? phase.preview : null;
    try {
      await (commit ? commitImport() : discardImport());
      setNotice(commit ? t("import.committed") : t("import.discarded"));
      setPhase({ kind: "choose" });
      const done = commit && preview?.sheet ? [...doneSheets, preview.sheet] : doneSheets;
      const left = (preview?.sheets_not_imported ?? []).filter((x) => !done.includes(x));
      setDoneSheets(done);
      setSheetsLeft(left);
      if (left.length === 0) setPath("");
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const exportProblems = async (summary: ImportSummary, preview: ImportPreview) => {
    const target = await pickSaveCsv(t("import.exportProblems"), `${preview.file_name}-问题行.csv`);
    if (target === null) return;
    try {
      await api.exportImportProblems(summary.source_id, target);
      setNotice(t("import.exported"));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  return (
    <section data-testid="import-screen">
      <h2>{t("inventory.filesTitle")}</h2>
      <p className="counts" data-testid="import-counts">
        {t("sources")} {overview.sources} · {t("customers")} {overview.customers} · {t("records")} {overview.records}
      </p>

      {phase.kind === "choose" || phase.kind === "preview" ? (
        <div className="row">
          <button className="primary" data-testid="import-choose" onClick={() => void choose()}>
            {t("import.choose")}
          </button>
          <input
            aria-label={t("import.path")}
            placeholder={t("import.path")}
            data-testid="import-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && path.trim()) readTyped();
            }}
          />
          <button data-testid="import-read" disabled={!path.trim()} onClick={readTyped}>
            {t("import.read")}
          </button>
        </div>
      ) : null}

      <ErrorBox error={error} />
      {notice ? (
        <p className="notice" role="status" data-testid="import-notice">
          {notice}
        </p>
      ) : null}

      {phase.kind === "choose" && sheetsLeft.length > 0 ? (
        <div className="notice" data-testid="import-sheets-left">
          <p>{fill(t("import.sheetsLeft"), { n: sheetsLeft.length, sheets: sheetsLeft.join("、") })}</p>
          <div className="row">
            {sheetsLeft.map((x) => (
              <button key={x} data-testid="import-next-sheet" onClick={() => void read(path, { ...choices, sheet: x, header_row: null })}>
                {fill(t("import.importSheet"), { sheet: x })}
              </button>
            ))}
          </div>
        </div>
      ) : null}

      {phase.kind === "preview" ? (
        <PreviewPanel
          preview={phase.preview}
          fields={fields}
          onField={(i, f) => setFields((old) => old.map((x, j) => (j === i ? f : x)))}
          onChoices={change}
          allowDuplicate={allowDuplicate}
          onAllowDuplicate={setAllowDuplicate}
          onStart={() => void start(phase.preview)}
        />
      ) : null}

      {phase.kind === "running" ? (
        <div className="progress-panel" data-testid="import-progress">
          <progress max={100} value={phase.progress?.percent ?? 0} />
          <p>
            {phase.progress
              ? fill(t("import.progress"), {
                  percent: phase.progress.percent.toFixed(0),
                  rows: phase.progress.rows.toLocaleString(),
                  rate: Math.round(phase.progress.rows_per_second).toLocaleString(),
                })
              : t("working")}
          </p>
          <button
            data-testid="import-cancel"
            disabled={phase.cancelling}
            onClick={() => {
              setPhase({ ...phase, cancelling: true });
              void api.cancelImport();
            }}
          >
            {t("cancel")}
          </button>
        </div>
      ) : null}

      {phase.kind === "review" ? (
        <div data-testid="import-review">
          <h2>{t("import.reviewTitle")}</h2>
          <ul className="stat-list">
            <li data-testid="import-rows-imported">
              {t("import.rowsImported")}: <strong>{phase.summary.rows_imported}</strong>
            </li>
            <li data-testid="import-rows-flagged">
              {t("import.rowsFlagged")}: <strong>{phase.summary.rows_flagged}</strong>
            </li>
            <li data-testid="import-rows-rejected">
              {t("import.rowsRejected")}: <strong>{phase.summary.rows_rejected}</strong>
            </li>
            <li>
              {t("import.customersCreated")}: <strong>{phase.summary.customers_created}</strong>
            </li>
          </ul>
          {phase.summary.problems.length > 0 ? (
            <>
              <p>{t("import.problemsHint")}</p>
              <div className="table-wrap">
                <table data-testid="import-problems">
                  <thead>
                    <tr>
                      <th>{t("import.row")}</th>
                      <th>{t("import.column")}</th>
                      <th>{t("import.outcome")}</th>
                      <th>{t("import.reason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {phase.summary.problems.slice(0, 200).map((p, i) => (
                      <tr key={i} data-testid="import-problem" data-row={p.row} data-kind={p.kind}>
                        <td>{p.row}</td>
                        <td>{p.header ?? ""}</td>
                        <td>{p.severity === "rejected" ? t("import.rejected") : t("import.flagged")}</td>
                        <td>{p.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {phase.summary.problems_total > 200 ? <p className="hint">{fill(t("import.moreProblems"), { n: phase.summary.problems_total - 200 })}</p> : null}
              <button data-testid="import-export-problems" onClick={() => void exportProblems(phase.summary, phase.preview)}>
                {t("import.exportProblems")}
              </button>
            </>
          ) : (
            <p>{t("import.noProblems")}</p>
          )}
          <div className="row actions">
            <button className="primary" data-testid="import-commit" onClick={() => void finish(true)}>
              {t("import.commit")}
            </button>
            <button data-testid="import-discard" onClick={() => void finish(false)}>
              {t("import.discard")}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function PreviewPanel(props: {
  preview: ImportPreview;
  fields: FieldType[];
  onField: (i: number, f: FieldType) => void;
  onChoices: (c: Partial<ReadChoices>) => void;
  allowDuplicate: boolean;
  onAllowDuplicate: (v: boolean) => void;
  onStart: () => void;
}) {
  const { t, lang } = useI18n();
  const p = props.preview;
  const isText = p.format === "csv" || p.format === "utf16_text";
  return (
    <div data-testid="import-preview">
      <h2>{p.file_name}</h2>
      <div className="grid-4">
        {isText ? (
          <Field label={t("import.encoding")} htmlFor="import-encoding">
            <select id="import-encoding" data-testid="import-encoding" value={p.encoding} onChange={(e) => props.onChoices({ encoding: e.target.value })}>
              {[p.encoding, ...ENCODINGS.filter((x) => x !== p.encoding)].map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {isText ? (
          <Field label={t("import.delimiter")} htmlFor="import-delimiter">
            <select id="import-delimiter" data-testid="import-delimiter" value={p.delimiter ?? ","} onChange={(e) => props.onChoices({ delimiter: e.target.value })}>
              {DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {t(`delimiter.${d === "\t" ? "tab" : d === "," ? "comma" : d === ";" ? "semicolon" : "pipe"}` as Key)}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={t("import.sheet")} htmlFor="import-sheet">
            <select id="import-sheet" data-testid="import-sheet" value={p.sheet ?? ""} onChange={(e) => props.onChoices({ sheet: e.target.value, header_row: null })}>
              {p.sheets.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t("import.headerRow")} hint={t("import.headerRowHint")} htmlFor="import-header-row">
          <input
            id="import-header-row"
            data-testid="import-header-row"
            type="number"
            min={1}
            value={p.header_row}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1) props.onChoices({ header_row: n });
            }}
          />
        </Field>
      </div>

      {p.notes.length > 0 ? (
        <ul className="notice" data-testid="import-notes">
          {p.notes.map((n, i) => (
            <li key={i} data-testid="import-note">
              {n}
            </li>
          ))}
        </ul>
      ) : null}

      <h2>{t("import.mappingTitle")}</h2>
      <p className="hint">{t("import.mappingHint")}</p>
      <div className="table-wrap">
        <table data-testid="import-mapping">
          <thead>
            <tr>
              <th>{t("import.column")}</th>
              <th>{t("import.field")}</th>
              <th>{t("import.evidence")}</th>
            </tr>
          </thead>
          <tbody>
            {p.columns.map((c, i) => (
              <tr key={i}>
                <td>{c.header}</td>
                <td>
                  <select aria-label={c.header} data-testid={`import-field-${i}`} value={props.fields[i]} onChange={(e) => props.onField(i, e.target.value as FieldType)}>
                    {FIELD_TYPES.map((f) => (
                      <option key={f} value={f}>
                        {t(`fieldType.${f}` as Key)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="hint">{c.evidence}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("import.firstRows")}</h2>
      <div className="table-wrap">
        <table className="preview" data-testid="import-rows">
          <thead>
            <tr>
              <th>{t("import.row")}</th>
              {p.columns.map((c, i) => (
                <th key={i}>
                  {c.header}
                  <div className="hint">{t(`fieldType.${props.fields[i] ?? "other"}` as Key)}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.row_number} className={r.problems.length ? "flagged" : ""} title={r.problems.join("；")}>
                <td>{r.row_number}</td>
                {p.columns.map((_, i) => (
                  <td key={i}>{r.cells[i] ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {p.duplicate_of ? (
        <div className="warning" data-testid="import-duplicate">
          <p>{fill(t("import.duplicate"), { label: p.duplicate_of.label, at: localTime(p.duplicate_of.imported_at, lang) })}</p>
          <label className="check">
            <input type="checkbox" data-testid="import-allow-duplicate" checked={props.allowDuplicate} onChange={(e) => props.onAllowDuplicate(e.target.checked)} />{" "}
            {t("import.allowDuplicate")}
          </label>
        </div>
      ) : null}

      <div className="row actions">
        <button className="primary" data-testid="import-start" disabled={!!p.duplicate_of && !props.allowDuplicate} onClick={props.onStart}>
          {t("import.start")}
        </button>
      </div>
    </div>
  );
}
