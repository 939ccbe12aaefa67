// The extension point for step screens: a step's own screen is rendered above its checklist when one is
// registered here. The case, inventory and summary steps have theirs built into the wizard (WizardStep.tsx).
import type { ComponentType } from "react";
import type { CaseOverview, StepId } from "./bindings";

export interface StepScreenProps {
  overview: CaseOverview;
  onChange: (o: CaseOverview) => void;
}

/** Step id → its screen. Classification, minimisation and decisions get theirs with their issues. */
export const stepScreens: Partial<Record<StepId, ComponentType<StepScreenProps>>> = {
  classification: undefined,
  minimisation: undefined,
  decisions: undefined,
};
