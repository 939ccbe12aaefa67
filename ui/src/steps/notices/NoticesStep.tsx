// Step 6 (telling the customers): every notice the plan needs with its SMS text and length, the poster, a
// save button per form (through the save dialog), and the import of the customers' replies.
import { useState } from "react";
import { api, pickSaveCsv, pickSaveDocumentAs, pickSaveFile, pickTableFile } from "../../api/api";
import type { ErrorPayload, NoticeForm, NoticeKind, NoticeSummary, ReplyImport, WrittenFile } from "../../api/bindings";
import { useCaseQuery, useMutation } from "../../case/CaseContext";
import { ErrorBox } from "../../components/widgets";
import { fill, type Key, useI18n } from "../../i18n/i18n";

/** The file name a form of a notice is suggested under (as `handover notices` names it). */
export function noticeFileName(notice: NoticeKind, form: NoticeForm): string {
  switch (form) {
    case "sms":
      return `${notice}-sms.txt`;
    case "csv":
      return `${notice}-sms.csv`;
    case "letter":
      return `${notice}-letters.pdf`;
    case "poster":
      return `${notice}-poster.pdf`;
  }
}

/** The forms the owner can save for a notice: letters only when some customers have no mobile number. */
export function formsFor(n: Pick<NoticeSummary, "customers" | "with_phone">): NoticeForm[] {
  const forms: NoticeForm[] = ["sms", "csv"];
  if (n.customers > n.with_phone) forms.push("letter");
  forms.push("poster");
  return forms;
}

function Notice({ n }: { n: NoticeSummary }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState<WrittenFile | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const save = useMutation(api.saveNotice, { invalidates: [] });
  const run = async (form: NoticeForm) => {
    setError(null);
    const name = noticeFileName(n.notice, form);
    const title = t("notices.saveTitle");
    const target =
      form === "csv"
        ? await pickSaveCsv(title, name)
        : form === "sms"
          ? await pickSaveFile(title, name)
          : await pickSaveDocumentAs("pdf", title, name);
    if (target === null) return;
    try {
      setSaved(await save(target, n.notice, form));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };
  return (
    <div className="notice-card" data-testid={`notice-${n.notice}`}>
      <h2>{n.title}</h2>
      <p data-testid={`notice-${n.notice}-customers`}>{fill(t("notices.customers"), { customers: n.customers, phone: n.with_phone })}</p>
      <h3>
        {fill(t("notices.sms"), {
          units: n.sms.units,
          parts: n.sms.parts,
          longest: n.longest_units,
          longestParts: n.longest_parts,
        })}
      </h3>
      <blockquote className="sms" data-testid={`notice-${n.notice}-sms`} data-parts={n.longest_parts} data-declared={n.sms.declared_parts}>
        {n.sms.text}
      </blockquote>
      <details>
        <summary>{t("notices.poster")}</summary>
        <div className="poster">
          <h3>{n.poster_title}</h3>
          {n.poster.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      </details>
      <div className="actions left">
        {formsFor(n).map((form) => (
          <button key={form} data-testid={`save-notice-${n.notice}-${form}`} onClick={() => void run(form)}>
            {t(`notices.save.${form}` as Key)}
          </button>
        ))}
      </div>
      <ErrorBox error={failed} />
      {saved && (
        <p data-testid={`notice-${n.notice}-saved`} data-path={saved.path}>
          {fill(t("notices.saved"), { path: saved.path, customers: saved.customers })} <code className="hash">{saved.sha256}</code>
        </p>
      )}
    </div>
  );
}

/** The customers' replies: a file with a mobile column and a status column. */
function Replies() {
  const { t } = useI18n();
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReplyImport | null>(null);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const importReplies = useMutation(api.importReplies, { invalidates: ["plan", "customers", "overview", "review"] });
  const run = async (p: string) => {
    setError(null);
    setBusy(true);
    try {
      setDone(await importReplies(p));
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    const p = await pickTableFile(t("notices.importReplies"));
    if (p) {
      setPath(p);
      await run(p);
    }
  };
  const c = done?.counts;
  return (
    <div className="replies" data-testid="replies">
      <h2>{t("notices.repliesTitle")}</h2>
      <p className="hint">{t("notices.repliesHint")}</p>
      <div className="row">
        <button className="primary" data-testid="replies-choose" disabled={busy} onClick={() => void choose()}>
          {t("notices.importReplies")}
        </button>
        <input
          aria-label={t("import.path")}
          placeholder={t("import.path")}
          data-testid="replies-path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button data-testid="replies-import" disabled={busy || !path.trim()} onClick={() => void run(path)}>
          {busy ? t("working") : t("import.read")}
        </button>
      </div>
      <ErrorBox error={failed} />
      {c && (
        <>
          <p className="ok" data-testid="replies-done" data-changed={c.changed}>
            {fill(t("notices.repliesDone"), {
              rows: c.rows,
              sent: c.sent,
              failed: c.failed,
              objected: c.objected,
              consented: c.consented,
              refused: c.refused,
              deletion: c.deletion,
              changed: c.changed,
              unknown: c.unknown_customer,
            })}
          </p>
          {c.changed > 0 && <p className="notice">{t("notices.replanHint")}</p>}
        </>
      )}
    </div>
  );
}

export function NoticesStep() {
  const { t } = useI18n();
  const preview = useCaseQuery("plan", api.noticesPreview);
  const p = preview.data;
  return (
    <section data-testid="notices-screen">
      <h1>{t("notices.title")}</h1>
      <p className="why">{t("notices.why")}</p>
      <ErrorBox error={preview.error} />
      {p && p.notices.length === 0 && (
        <p className="notice" data-testid="notices-none">
          {t("notices.none")}
        </p>
      )}
      {p?.notices.map((n) => <Notice key={n.notice} n={n} />)}
      <Replies />
    </section>
  );
}
