// Moving around the wizard, for the screens inside a step: go to another step (optionally to one of its
// checklist items), and tell the case screen that a form has unsaved changes or that an import is running
// (then the owner stays on the step until it ends).
import { createContext, useContext } from "react";
import type { StepId } from "../api/bindings";

export interface WizardNav {
  go: (step: StepId, itemId?: string) => void;
  setDirty: (dirty: boolean) => void;
  setBusy: (busy: boolean) => void;
}

export const WizardNavContext = createContext<WizardNav>({ go: () => {}, setDirty: () => {}, setBusy: () => {} });
export const useWizardNav = () => useContext(WizardNavContext);
