// The extension point for step screens: a step's own screen is rendered above its checklist when one is
// registered here. The case, inventory and summary steps have theirs built into the wizard (WizardStep.tsx).
import type { ComponentType } from "react";
import type { CaseOverview, StepId } from "../api/bindings";
import { ClassificationStep } from "../steps/classification/ClassificationStep";
import { DecisionsStep } from "../steps/decisions/DecisionsStep";
import { MinimisationStep } from "../steps/minimisation/MinimisationStep";

export interface StepScreenProps {
  overview: CaseOverview;
  onChange: (o: CaseOverview) => void;
}

/** Step id → its screen. */
export const stepScreens: Partial<Record<StepId, ComponentType<StepScreenProps>>> = {
  classification: ClassificationStep,
  minimisation: MinimisationStep,
  decisions: DecisionsStep,
};
