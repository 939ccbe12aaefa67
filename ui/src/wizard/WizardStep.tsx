// One step of the guided wizard: its title, why it matters, what to do, the step's own screen (registered in
// stepScreens), the checklist, what is still open, and Back / Next.
import { useEffect, useRef } from "react";
import type { ReviewStep } from "../api/bindings";
import { useCase } from "../case/CaseContext";
import { fill, pick, useI18n } from "../i18n/i18n";
import { ChecklistItem } from "./Checklist";
import { useWizardNav } from "../case/nav";
import { stepScreens } from "./stepScreens";

export const stepDone = (s: ReviewStep) => s.counts.done + s.counts.not_applicable;

export function WizardStep(props: { step: ReviewStep; focusItem: string | null }) {
  const { t, lang } = useI18n();
  const { review } = useCase();
  const { go } = useWizardNav();
  const { step } = props;
  const title = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users start at the top of the new step.
  useEffect(() => {
    if (!props.focusItem) title.current?.focus();
  }, [step.id]);

  if (!review) return null;
  const index = review.steps.findIndex((s) => s.id === step.id);
  const prev = review.steps[index - 1];
  const next = review.steps[index + 1];
  const Screen = stepScreens[step.id];
  const openHere = step.items.filter((i) => i.blocking_open);

  return (
    <section className="wizard-step" data-testid={`wizard-step-${step.id}`} data-applies={step.applies ? "true" : "false"}>
      <p className="step-kicker">{fill(t("wizard.stepN"), { n: step.number })}</p>
      <h1 ref={title} tabIndex={-1} data-testid="wizard-step-title">
        {pick(step.title, lang)}
      </h1>

      {!step.applies ? (
        <div className="notice" data-testid="step-not-applicable">
          <h2>{t("wizard.stepNotApplicable")}</h2>
          <p>{step.not_applicable_reason ? pick(step.not_applicable_reason, lang) : ""}</p>
          <p className="muted">{t("wizard.stepNotApplicableHint")}</p>
        </div>
      ) : (
        <>
          <aside className="why">
            <h2>{t("whyItMatters")}</h2>
            <p>{pick(step.why, lang)}</p>
            <h2>{t("wizard.whatToDo")}</h2>
            <p>{pick(step.what_to_do, lang)}</p>
          </aside>

          {Screen && <Screen />}

          <h2 className="checklist-title">
            {t("wizard.checklist")} <span className="muted small">{fill(t("wizard.progress"), { done: stepDone(step), total: step.counts.applicable })}</span>
          </h2>
          <p className="muted">{t("wizard.checklistHint")}</p>
          <div className="checklist" data-testid="checklist">
            {step.items.map((entry) => (
              <ChecklistItem key={entry.item.id} entry={entry} laws={review.laws} step={step.id} highlight={props.focusItem === entry.item.id} />
            ))}
          </div>

          {openHere.length > 0 ? (
            <div className="warning" data-testid="step-blocking">
              <h2>{t("wizard.blocksTitle")}</h2>
              <ul>
                {openHere.map((i) => (
                  <li key={i.item.id}>
                    <a href={`#item-${i.item.id}`}>{pick(i.item.text, lang)}</a>
                  </li>
                ))}
              </ul>
              <p className="muted">{t("wizard.blocksHint")}</p>
            </div>
          ) : (
            <p className="ok" data-testid="step-complete-note">
              ✓ {t("wizard.stepComplete")}
            </p>
          )}
        </>
      )}

      <div className="actions step-nav no-print">
        {prev && (
          <button data-testid="wizard-prev" onClick={() => go(prev.id)}>
            ← {t("wizard.prev")}
          </button>
        )}
        {next && (
          <button className="primary" data-testid="wizard-next" onClick={() => go(next.id)}>
            {t("wizard.next")}：{pick(next.title, lang)} →
          </button>
        )}
      </div>
    </section>
  );
}
