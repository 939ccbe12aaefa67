import { useEffect, useState } from "react";
import { api } from "../../api/api";
import type { CaseFacts, CrossBorderMechanism, ErrorPayload, LegalForm } from "../../api/bindings";
import { useCase, useCaseQuery, useMutation } from "../../case/CaseContext";
import { ErrorBox, Field } from "../../components/widgets";
import { type DetailsForm, fromForm, isValidDate, KINDS, REASONS, sameDetails, toForm } from "../../components/forms";
import { type Key, kindLabel, reasonLabel, useI18n } from "../../i18n/i18n";
import { useWizardNav } from "../../case/nav";

const LEGAL_FORMS: readonly LegalForm[] = ["individual-business", "company", "other"];
const MECHANISMS: readonly CrossBorderMechanism[] = ["security-assessment", "standard-contract", "certification"];
const NO_FACTS: CaseFacts = { legal_form: null, purpose_change: null, cross_border: null, cross_border_mechanism: null, list_price: null };

/** The case facts beside the details, each saved on its own as soon as it is chosen: the seller's legal form,
 * and the questions the rulebook asks (the recipient changes the purpose; the recipient or its servers are
 * abroad, and with which transfer mechanism). */
function useCaseFacts() {
  const facts = useCaseQuery("overview", api.caseFacts);
  const [chosen, setChosen] = useState<CaseFacts | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const save = useMutation(api.setCaseFacts, { invalidates: ["overview", "review", "plan"] });
  const current = chosen ?? facts.data ?? null;
  const change = async (patch: Partial<CaseFacts>) => {
    setError(null);
    try {
      setChosen(await save({ ...NO_FACTS, ...current, ...patch }));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };
  return { current, change, error: error ?? facts.error };
}

/** "" (not answered), "yes", "no" ⇄ null, true, false. */
const yesNo = (b: boolean | null | undefined) => (b === true ? "yes" : b === false ? "no" : "");
const fromYesNo = (v: string) => (v === "yes" ? true : v === "no" ? false : null);

function YesNoSelect(props: { id: string; value: boolean | null | undefined; onPick: (v: boolean | null) => void }) {
  const { t } = useI18n();
  return (
    <select id={props.id} data-testid={props.id} value={yesNo(props.value)} onChange={(e) => props.onPick(fromYesNo(e.target.value))}>
      <option value="">{t("fact.unanswered")}</option>
      <option value="yes">{t("fact.yes")}</option>
      <option value="no">{t("fact.no")}</option>
    </select>
  );
}

function LegalFormField() {
  const { t } = useI18n();
  const { current, change, error } = useCaseFacts();
  return (
    <Field label={t("legalForm")} hint={t("legalFormHint")} htmlFor="details-legal-form">
      <select
        id="details-legal-form"
        data-testid="details-legal-form"
        value={current?.legal_form ?? ""}
        onChange={(e) => void change({ legal_form: e.target.value === "" ? null : (e.target.value as LegalForm) })}
      >
        <option value="">{t("legalForm.none")}</option>
        {LEGAL_FORMS.map((f) => (
          <option key={f} value={f}>
            {t(`legalForm.${f}` as Key)}
          </option>
        ))}
      </select>
      <ErrorBox error={error} />
    </Field>
  );
}

/** The price of a list sold on its own (whole yuan): the exposure check compares it with the gains threshold
 * when records would leave without a basis. Saved when the field is left. */
function ListPriceField() {
  const { t } = useI18n();
  const { current, change } = useCaseFacts();
  const stored = current?.list_price ?? null;
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (stored === null ? "" : String(stored));
  const valid = /^\d{0,12}$/.test(shown.trim());
  return (
    <Field label={t("fact.listPrice")} hint={t("fact.listPriceHint")} htmlFor="details-list-price" error={valid ? null : t("fact.listPriceInvalid")}>
      <input
        id="details-list-price"
        data-testid="details-list-price"
        inputMode="numeric"
        value={shown}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (!valid || text === null) return;
          const v = text.trim() === "" ? null : Number(text.trim());
          if (v !== stored) void change({ list_price: v });
          setText(null);
        }}
      />
    </Field>
  );
}

/** What the recipient will do with the information: another purpose (PIPL Art. 22: new consent), abroad
 * (Art. 38–39: separate consent and a transfer mechanism); in a list sale, the price. */
function RecipientFactsFields(props: { listSale: boolean }) {
  const { t } = useI18n();
  const { current, change, error } = useCaseFacts();
  return (
    <>
      {props.listSale && <ListPriceField />}
      <Field label={t("fact.purposeChange")} hint={t("fact.purposeChangeHint")} htmlFor="details-purpose-change">
        <YesNoSelect id="details-purpose-change" value={current?.purpose_change} onPick={(v) => void change({ purpose_change: v })} />
      </Field>
      <Field label={t("fact.crossBorder")} hint={t("fact.crossBorderHint")} htmlFor="details-cross-border">
        <YesNoSelect id="details-cross-border" value={current?.cross_border} onPick={(v) => void change({ cross_border: v })} />
      </Field>
      {current?.cross_border === true && (
        <Field label={t("fact.mechanism")} hint={t("fact.mechanismHint")} htmlFor="details-cross-border-mechanism">
          <select
            id="details-cross-border-mechanism"
            data-testid="details-cross-border-mechanism"
            value={current.cross_border_mechanism ?? ""}
            onChange={(e) => void change({ cross_border_mechanism: e.target.value === "" ? null : (e.target.value as CrossBorderMechanism) })}
          >
            <option value="">{t("fact.mechanism.none")}</option>
            {MECHANISMS.map((m) => (
              <option key={m} value={m}>
                {t(`fact.mechanism.${m}` as Key)}
              </option>
            ))}
          </select>
        </Field>
      )}
      <ErrorBox error={error} />
    </>
  );
}

/** The case step's screen: the case details form (the wizard step above it has the title and "why"). */
export function DetailsStep() {
  const { t } = useI18n();
  const { overview } = useCase();
  const { setDirty } = useWizardNav();
  // New details decide which steps and items apply, when a customer counts as a minor, and the plan.
  const update = useMutation(api.updateCaseDetails, { returns: "overview", invalidates: ["review", "classification", "plan"] });
  const [form, setForm] = useState<DetailsForm>(() => toForm(overview.details));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const dirty = !sameDetails(fromForm(form), overview.details);
  useEffect(() => setDirty(dirty), [dirty]);

  const set = <K extends keyof DetailsForm>(key: K, value: DetailsForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const text = (key: keyof DetailsForm, testid: string) => ({
    id: testid,
    "data-testid": testid,
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
    maxLength: 200,
  });

  const dateError = form.handoverDate.trim() !== "" && !isValidDate(form.handoverDate) ? t("dateInvalid") : null;
  const showRecipient = !(form.reason === "dissolution" && form.noRecipient);

  const save = async () => {
    if (dateError) return;
    setBusy(true);
    setError(null);
    try {
      const o = await update(fromForm(form));
      setForm(toForm(o.details));
      setSaved(true);
    } catch (e) {
      setError(e as ErrorPayload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="row two">
          <Field label={t("businessKind")} htmlFor="details-kind">
            <select id="details-kind" data-testid="details-kind" value={form.kind} onChange={(e) => set("kind", e.target.value as DetailsForm["kind"])}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(t, k)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("reason")} htmlFor="details-reason">
            <select id="details-reason" data-testid="details-reason" value={form.reason} onChange={(e) => set("reason", e.target.value as DetailsForm["reason"])}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonLabel(t, r)}
                </option>
              ))}
            </select>
          </Field>
        </div>

        <fieldset>
          <legend>{t("seller")}</legend>
          <div className="row two">
            <Field label={t("sellerName")} htmlFor="details-seller-name">
              <input {...text("sellerName", "details-seller-name")} />
            </Field>
            <Field label={t("sellerContact")} hint={t("sellerContactHint")} htmlFor="details-seller-contact">
              <input {...text("sellerContact", "details-seller-contact")} />
            </Field>
          </div>
          <Field label={t("responsible")} hint={t("responsibleHint")} htmlFor="details-seller-responsible">
            <input {...text("responsible", "details-seller-responsible")} />
          </Field>
          <LegalFormField />
        </fieldset>

        <fieldset>
          <legend>{t("recipient")}</legend>
          {form.reason === "dissolution" && (
            <label className="check">
              <input type="checkbox" data-testid="details-no-recipient" checked={form.noRecipient} onChange={(e) => set("noRecipient", e.target.checked)} />
              {t("noRecipient")}
            </label>
          )}
          {showRecipient && (
            <div className="row two">
              <Field label={t("recipientName")} htmlFor="details-recipient-name">
                <input {...text("recipientName", "details-recipient-name")} />
              </Field>
              <Field label={t("recipientContact")} hint={t("recipientHint")} htmlFor="details-recipient-contact">
                <input {...text("recipientContact", "details-recipient-contact")} />
              </Field>
            </div>
          )}
          {showRecipient && <RecipientFactsFields listSale={form.reason === "sale-list"} />}
        </fieldset>

        <Field label={t("handoverDate")} hint={t("dateFormat")} htmlFor="details-handover-date" error={dateError}>
          <input {...text("handoverDate", "details-handover-date")} placeholder="YYYY-MM-DD" inputMode="numeric" />
        </Field>
        <Field label={t("notes")} htmlFor="details-notes">
          <textarea id="details-notes" data-testid="details-notes" rows={3} value={form.notes} onChange={(e) => set("notes", e.target.value)} />
        </Field>

        <ErrorBox error={error} />
        <div className="actions left">
          <button type="submit" className="primary" data-testid="details-save" disabled={busy || !!dateError}>
            {busy ? t("working") : t("save")}
          </button>
          {saved && !dirty && (
            <span className="saved" data-testid="details-saved" role="status">
              ✓ {t("saved")}
            </span>
          )}
          {dirty && <span className="muted">{t("unsaved")}</span>}
        </div>
      </form>

      <div className="todo" data-testid="details-problems">
        {overview.problems.length === 0 ? (
          <p className="ok">✓ {t("nothingToDo")}</p>
        ) : (
          <>
            <h2>{t("stillToDo")}</h2>
            <ul>
              {overview.problems.map((p) => (
                <li key={p.field + p.code}>{p.message}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
