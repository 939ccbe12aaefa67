// The inventory step's places that are not files: register each one with how it will be handled.
import { useState } from "react";
import { api } from "../../api/api";
import type { ErrorPayload, Review, SourceHandling, SourceInput, PlaceKind } from "../../api/bindings";
import { useCase, useMutation } from "../../case/CaseContext";
import { ErrorBox, Field } from "../../components/widgets";
import { type Key, useI18n } from "../../i18n/i18n";

export const SOURCE_KINDS: PlaceKind[] = ["paper", "phone-contacts", "wechat-group", "courier-platform", "employee-records", "cctv", "other"];
/** Sources that are not customer information: listed and decided on, never handed over with the customers. */
const NOT_CUSTOMERS: readonly PlaceKind[] = ["employee-records", "cctv"];
export const HANDLINGS: SourceHandling[] = ["undecided", "transfer", "keep", "destroy", "return"];

const empty = (): SourceInput => ({ kind: "paper", label: "", description: "", handling: "undecided", handling_note: "" });

function SourceForm(props: { initial: SourceInput; onSave: (s: SourceInput) => Promise<boolean>; onCancel?: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<SourceInput>(props.initial);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof SourceInput>(k: K, v: SourceInput[K]) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <form
      className="source-form"
      data-testid="source-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void props.onSave(form).then((ok) => {
          setBusy(false);
          if (ok) setForm(props.initial);
        });
      }}
    >
      <div className="row two">
        <Field label={t("inventory.kind")} htmlFor="source-kind">
          <select id="source-kind" data-testid="source-kind" value={form.kind} onChange={(e) => set("kind", e.target.value as PlaceKind)}>
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`sourceKind.${k}` as Key)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("inventory.label")} hint={t("inventory.labelHint")} htmlFor="source-label">
          <input id="source-label" data-testid="source-label" maxLength={200} value={form.label} onChange={(e) => set("label", e.target.value)} />
        </Field>
      </div>
      {NOT_CUSTOMERS.includes(form.kind) && (
        <p className="hint" data-testid="source-not-customers">
          {t("inventory.notCustomers")}
        </p>
      )}
      <Field label={t("inventory.description")} htmlFor="source-description">
        <input id="source-description" data-testid="source-description" maxLength={2000} value={form.description} onChange={(e) => set("description", e.target.value)} />
      </Field>
      <div className="row two">
        <Field label={t("inventory.handling")} htmlFor="source-handling">
          <select id="source-handling" data-testid="source-handling" value={form.handling} onChange={(e) => set("handling", e.target.value as SourceHandling)}>
            {HANDLINGS.map((h) => (
              <option key={h} value={h}>
                {t(`handling.${h}` as Key)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("inventory.handlingNote")} hint={t("inventory.handlingNoteHint")} htmlFor="source-handling-note">
          <input id="source-handling-note" data-testid="source-handling-note" maxLength={2000} value={form.handling_note} onChange={(e) => set("handling_note", e.target.value)} />
        </Field>
      </div>
      <div className="actions left">
        <button type="submit" className="primary" data-testid="source-save" disabled={busy || !form.label.trim()}>
          {t("inventory.save")}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

export function SourcesPanel() {
  const { t } = useI18n();
  const sources = useCase().review?.sources ?? [];
  const registerSource = useMutation(api.registerSource, { returns: "review" });
  const updateSource = useMutation(api.updateSource, { returns: "review" });
  const removeSource = useMutation(api.removeSource, { returns: "review" });
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);

  const run = async (f: () => Promise<Review>) => {
    setError(null);
    try {
      await f();
      return true;
    } catch (e) {
      setError(e as ErrorPayload);
      return false;
    }
  };

  return (
    <section className="sources-panel" data-testid="sources-panel">
      <h2>{t("inventory.sourcesTitle")}</h2>
      <p className="muted">{t("inventory.sourcesHint")}</p>
      {sources.length === 0 ? (
        <p className="muted">{t("inventory.none")}</p>
      ) : (
        <ul className="source-list">
          {sources.map((s) =>
            editing === s.id ? (
              <li key={s.id}>
                <SourceForm
                  initial={{ kind: s.kind, label: s.label, description: s.description, handling: s.handling, handling_note: s.handling_note }}
                  onSave={async (input) => {
                    const ok = await run(() => updateSource(s.id, input));
                    if (ok) setEditing(null);
                    return ok;
                  }}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <li key={s.id} className="source-row" data-testid="source-row" data-kind={s.kind} data-handling={s.handling}>
                <div>
                  <strong>{s.label}</strong> <span className="tag">{t(`sourceKind.${s.kind}` as Key)}</span>
                  {s.description && <div className="muted">{s.description}</div>}
                  <div>
                    {t("inventory.handling")}：<strong>{t(`handling.${s.handling}` as Key)}</strong>
                    {s.handling_note && ` — ${s.handling_note}`}
                  </div>
                </div>
                <div className="row-actions">
                  <button type="button" data-testid={`source-edit-${s.id}`} onClick={() => setEditing(s.id)}>
                    {t("inventory.edit")}
                  </button>
                  <button
                    type="button"
                    data-testid={`source-remove-${s.id}`}
                    onClick={() => {
                      if (window.confirm(t("inventory.removeConfirm"))) void run(() => removeSource(s.id));
                    }}
                  >
                    {t("inventory.remove")}
                  </button>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
      <ErrorBox error={error} />
      {adding ? (
        <SourceForm
          initial={empty()}
          onSave={async (input) => {
            const ok = await run(() => registerSource(input));
            if (ok) setAdding(false);
            return ok;
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" data-testid="source-add" onClick={() => setAdding(true)}>
          + {t("inventory.add")}
        </button>
      )}
    </section>
  );
}
