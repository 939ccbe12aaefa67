import { useEffect, useState } from "react";
import { api } from "../api/api";
import type { CaseOverview, ErrorPayload, Review, StepId } from "../api/bindings";
import { ErrorBox } from "../components/widgets";
import { fill, pick, useI18n } from "../i18n/i18n";
import { Overview } from "./Overview";
import { stepDone, WizardStep } from "../wizard/WizardStep";

type View = StepId | "overview";

/** The open case: the eleven wizard steps from the wizard content, and the overview with the history. */
export function CaseScreen(props: { overview: CaseOverview; onChange: (o: CaseOverview) => void; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [review, setReview] = useState<Review | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [focusItem, setFocusItem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dirty, setDirty] = useState(false);
  // While an import runs the owner stays on its screen: its Cancel button is the way out.
  const [busy, setBusy] = useState(false);

  // The review follows the case: new details change which steps apply, an import changes the counts.
  useEffect(() => {
    api.wizardReview().then((r) => {
      setReview(r);
      // Resume where the owner left off.
      setView((v) => v ?? r.current_step);
    }, setError);
  }, [props.overview]);

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

  const step = review && view && view !== "overview" ? review.steps.find((s) => s.id === view) : undefined;

  return (
    <div className="case" data-testid="case-screen">
      <nav className="sidebar no-print" aria-label={t("steps")}>
        <div className="case-name" title={props.overview.path}>
          {props.overview.details.seller.name}
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
        <ErrorBox error={error} />
        {view === "overview" ? (
          <Overview overview={props.overview} />
        ) : review && step ? (
          <WizardStep
            key={step.id}
            step={step}
            review={review}
            overview={props.overview}
            focusItem={focusItem}
            onReview={setReview}
            onOverview={props.onChange}
            onDirty={setDirty}
            onBusy={setBusy}
            onGo={(s, item) => go(s, item)}
          />
        ) : (
          <p className="muted">{t("wizard.loading")}</p>
        )}
      </main>
    </div>
  );
}
