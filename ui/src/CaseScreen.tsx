import { useState } from "react";
import type { CaseOverview } from "./bindings";
import { ClassificationStep } from "./ClassificationStep";
import { DecisionsStep } from "./DecisionsStep";
import { DetailsStep } from "./DetailsStep";
import { MinimisationStep } from "./MinimisationStep";
import { ImportStep } from "./ImportStep";
import { type Key, useI18n } from "./i18n";
import { Overview } from "./Overview";

/** The wizard's steps, in order. Later capabilities (import, classification, decisions…) add entries. */
const STEPS = [
  { id: "details", label: "step.details" as Key },
  { id: "import", label: "step.import" as Key },
  { id: "classification", label: "step.classification" as Key },
  { id: "minimisation", label: "step.minimisation" as Key },
  { id: "decisions", label: "step.decisions" as Key },
  { id: "overview", label: "step.overview" as Key },
] as const;
type StepId = (typeof STEPS)[number]["id"];

export function CaseScreen(props: { overview: CaseOverview; onChange: (o: CaseOverview) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [step, setStep] = useState<StepId>("details");
  const [dirty, setDirty] = useState(false);
  // While an import runs the owner stays on its screen: its Cancel button is the way out.
  const [busy, setBusy] = useState(false);

  const go = (next: StepId | "close") => {
    if (busy) return;
    if (dirty && !window.confirm(t("leaveUnsaved"))) return;
    setDirty(false);
    if (next === "close") props.onClose();
    else setStep(next);
  };

  return (
    <div className="case" data-testid="case-screen">
      <nav className="sidebar" aria-label={t("steps")}>
        <div className="case-name" title={props.overview.path}>
          {props.overview.details.seller.name}
        </div>
        <ol>
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button className={step === s.id ? "current" : ""} aria-current={step === s.id ? "step" : undefined} data-testid={`step-${s.id}`} onClick={() => go(s.id)}>
                <span className="num">{s.id === "overview" ? "☰" : i + 1}</span>
                {t(s.label)}
              </button>
            </li>
          ))}
        </ol>
        <button className="close" data-testid="close-case-button" onClick={() => go("close")}>
          {t("closeCase")}
        </button>
      </nav>
      <main className="step">
        {step === "details" ? (
          <DetailsStep overview={props.overview} onSaved={props.onChange} onDirty={setDirty} />
        ) : step === "import" ? (
          <ImportStep overview={props.overview} onChange={props.onChange} onBusy={setBusy} />
        ) : step === "classification" ? (
          <ClassificationStep overview={props.overview} onChange={props.onChange} />
        ) : step === "minimisation" ? (
          <MinimisationStep overview={props.overview} onChange={props.onChange} />
        ) : step === "decisions" ? (
          <DecisionsStep overview={props.overview} onChange={props.onChange} />
        ) : (
          <Overview overview={props.overview} />
        )}
      </main>
    </div>
  );
}
