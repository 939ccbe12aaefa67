import { useEffect, useState } from "react";
import { api } from "../../api/api";
import type { ErrorPayload, FieldType, SourceKind } from "../../api/bindings";
import { useCaseQuery, useMutation } from "../../case/CaseContext";
import { ErrorBox } from "../../components/widgets";
import { FIELD_TYPES, fill, type Key, localTime, useI18n } from "../../i18n/i18n";

const SOURCE_KINDS: SourceKind[] = ["customer-list", "courier-platform", "tax-invoice", "accounting-voucher", "prepaid-registration"];
// Sensitive personal information (PIPL Art. 28) among the fields, as the core counts it. A prepaid balance is not
// (law-notes N: not a financial account): it is the evidence of what is owed and travels with the record.
const SENSITIVE: FieldType[] = ["id_card", "bank_card"];

/**
 * Minimisation (PIPL Art. 6): the owner ticks the fields the recipient truly needs; everything else is
 * stripped from the transfer. Below, what each imported file holds (a courier platform's data never goes to
 * the buyer), guessed from its columns and confirmed by the owner.
 */
export function MinimisationStep() {
  const { t, lang } = useI18n();
  const minimisation = useCaseQuery("minimisation", api.minimisation);
  const classification = useCaseQuery("classification", api.classificationSummary);
  const sourceKinds = useCaseQuery("minimisation", api.sourceKinds);
  const min = minimisation.data ?? null;
  const present = new Set(classification.data?.columns.map((c) => c.field));
  const sources = sourceKinds.data ?? [];
  // What the owner has ticked but maybe not saved: the saved choice until then.
  const [chosen, setChosen] = useState<Set<FieldType>>(new Set());
  useEffect(() => {
    if (minimisation.data) setChosen(new Set(minimisation.data.fields));
  }, [minimisation.data]);
  const [failed, setError] = useState<ErrorPayload | null>(null);
  const error = failed ?? minimisation.error ?? classification.error ?? sourceKinds.error;
  const [saved, setSaved] = useState(false);
  // The chosen fields and each file's kind decide what the plan transfers.
  const setMinimisation = useMutation(api.setMinimisation, { invalidates: ["plan", "review"] });
  const setSourceKind = useMutation(api.setSourceKind, { invalidates: ["plan", "review"] });

  const toggle = (f: FieldType) => {
    const next = new Set(chosen);
    if (next.has(f)) next.delete(f);
    else next.add(f);
    setChosen(next);
    setSaved(false);
  };

  const save = async () => {
    setError(null);
    try {
      minimisation.setData(await setMinimisation(FIELD_TYPES.filter((f) => chosen.has(f))));
      setSaved(true);
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const setKind = async (sourceId: number, kind: SourceKind) => {
    setError(null);
    try {
      const info = await setSourceKind(sourceId, kind);
      sourceKinds.setData(sources.map((s) => (s.source_id === sourceId ? info : s)));
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  // Fields present in the case first, then the rest; "other" and "notes" are never handed over as fields.
  const offered = FIELD_TYPES.filter((f) => f !== "other");
  const ordered = [...offered.filter((f) => present.has(f)), ...offered.filter((f) => !present.has(f))];

  return (
    <section data-testid="minimisation-screen">
      <h1>{t("min.title")}</h1>
      <p className="why">{t("min.why")}</p>
      <ErrorBox error={error} />
      {min && (
        <>
          <h2>{t("min.fieldsTitle")}</h2>
          <p className="hint" data-testid="min-state">
            {min.chosen && min.recorded ? fill(t("min.recorded"), { by: min.recorded.by, at: localTime(min.recorded.at, lang) }) : t("min.default")}
          </p>
          <div className="field-grid">
            {ordered.map((f) => (
              <label key={f} className={`check ${present.has(f) ? "" : "absent"}`}>
                <input type="checkbox" data-testid={`min-field-${f}`} checked={chosen.has(f)} onChange={() => toggle(f)} />
                <span>
                  {t(`fieldType.${f}` as Key)}
                  {SENSITIVE.includes(f) && <span className="tag warn">{t("min.sensitive")}</span>}
                  <span className="muted small"> · {present.has(f) ? t("min.inCase") : t("min.notInCase")}</span>
                </span>
              </label>
            ))}
          </div>
          <div className="actions left">
            <button className="primary" data-testid="min-save" onClick={() => void save()}>
              {t("min.save")}
            </button>
            {saved && (
              <span className="saved" role="status" data-testid="min-saved">
                {t("min.saved")}
              </span>
            )}
          </div>
        </>
      )}

      {sources.length > 0 && (
        <>
          <h2>{t("min.sourcesTitle")}</h2>
          <p className="hint">{t("min.sourcesHint")}</p>
          <table className="data" data-testid="min-sources">
            <thead>
              <tr>
                <th>{t("dec.source")}</th>
                <th>{t("min.sourceKind")}</th>
                <th>{t("min.guessed")}</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.source_id}>
                  <td>{s.label}</td>
                  <td>
                    <select
                      data-testid={`min-source-kind-${s.source_id}`}
                      aria-label={`${t("min.sourceKind")}: ${s.label}`}
                      value={s.kind}
                      onChange={(e) => void setKind(s.source_id, e.target.value as SourceKind)}
                    >
                      {SOURCE_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {t(`sourceKind.${k}` as Key)}
                        </option>
                      ))}
                    </select>
                    {s.owner_set && <span className="muted small"> · {t("min.ownerSet")}</span>}
                  </td>
                  <td className="muted">{s.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
