import { useState } from "react";
import { api } from "../api/api";
import type { CaseOverview, ErrorPayload, StepId } from "../api/bindings";
import { CaseProvider, useCase } from "../case/CaseContext";
import { ErrorBox } from "../components/widgets";
import { fill, pick, useI18n } from "../i18n/i18n";
import { WizardNavContext, type WizardNav } from "../case/nav";
import { stepDone, WizardStep } from "../wizard/WizardStep";
import { Overview } from "./Overview";

type View = StepId | "overview";

/** The open case: the eleven wizard steps from the wizard content, and the overview with the history. */
export function CaseScreen(props: { overview: CaseOverview; onChange: (o: CaseOverview) => void; onClose: () => void }) {
  return (
    <CaseProvider overview={props.overview} onOverview={props.onChange}>
      <CaseView onClose={props.onClose} />
    </CaseProvider>
  );
}

function CaseView(props: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const { overview, review, error: caseError } = useCase();
  const [chosen, setView] = useState<View | null>(null);
  const [focusItem, setFocusItem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dirty, setDirty] = useState(false);
  // While an import runs the owner stays on its screen: its Cancel button is the way out.
  const [busy, setBusy] = useState(false);
  // Resume where the owner left off.
  const view = chosen ?? review?.current_step ?? null;

  const go = (next: View | "close", itemId?: string) => {
    if (busy) return;
    if (dirty && !window.confirm(t("leaveUnsaved"))) return;
    setDirty(false);
    if (next === "close") {
      props.onClose();
      return;
    }
    setFocusItem(itemId ?? null);
    setView(next);
    window.scrollTo(0, 0);
    if (next !== "overview") api.setCurrentStep(next).catch(setError);
  };
  const nav: WizardNav = { go, setDirty, setBusy };

  const step = review && view && view !== "overview" ? review.steps.find((s) => s.id === view) : undefined;

  return (
    <div className="case" data-testid="case-screen">
      <nav className="sidebar no-print" aria-label={t("steps")}>
        <div className="case-name" title={overview.path}>
          {overview.details.seller.name}
        </div>
        <ol>
          {review?.steps.map((s) => {
            const complete = s.applies && stepDone(s) === s.counts.applicable;
            const mark = !s.applies ? "–" : complete ? "✓" : `${stepDone(s)}/${s.counts.applicable}`;
            return (
              <li key={s.id}>
                <button
                  className={`${view === s.id ? "current" : ""}${s.applies ? "" : " inapplicable"}${complete ? " complete" : ""}`}
                  aria-current={view === s.id ? "step" : undefined}
                  data-testid={`step-${s.id}`}
                  data-complete={complete ? "true" : "false"}
                  onClick={() => go(s.id)}
                >
                  <span className="num">{s.number}</span>
                  <span className="step-label">{pick(s.title, lang)}</span>
                  <span className="mark" aria-label={fill(t("wizard.progress"), { done: stepDone(s), total: s.counts.applicable })}>
                    {mark}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        <button className={`overview-link${view === "overview" ? " current" : ""}`} data-testid="step-overview" onClick={() => go("overview")}>
          ☰ {t("step.overviewLink")}
        </button>
        <button className="close" data-testid="close-case-button" onClick={() => go("close")}>
          {t("closeCase")}
        </button>
      </nav>
      <main className="step">
        <ErrorBox error={error ?? caseError} />
        {view === "overview" ? (
          <Overview />
        ) : review && step ? (
          <WizardNavContext.Provider value={nav}>
            <WizardStep key={step.id} step={step} focusItem={focusItem} />
          </WizardNavContext.Provider>
        ) : (
          <p className="muted">{t("wizard.loading")}</p>
        )}
      </main>
    </div>
  );
}
