// The one registry of step screens: a step's own screen is rendered above its checklist when one is
// registered here. A new step screen lives in steps/<step-id>/ and is added to this list; it takes no
// props and reads the open case with useCase / useCaseQuery and changes it with useMutation.
import type { ComponentType } from "react";
import type { StepId } from "../api/bindings";
import { DetailsStep } from "../steps/case/DetailsStep";
import { ClassificationStep } from "../steps/classification/ClassificationStep";
import { DecisionsStep } from "../steps/decisions/DecisionsStep";
import { DestructionStep } from "../steps/destruction/DestructionStep";
import { InventoryStep } from "../steps/inventory/InventoryStep";
import { MinimisationStep } from "../steps/minimisation/MinimisationStep";
import { AgreementStep } from "../steps/agreement/AgreementStep";
import { NoticesStep } from "../steps/notices/NoticesStep";
import { ReviewScreen } from "../steps/summary/ReviewScreen";
import { TransferStep } from "../steps/transfer/TransferStep";

/** Step id → its screen. */
export const stepScreens: Partial<Record<StepId, ComponentType>> = {
  case: DetailsStep,
  inventory: InventoryStep,
  classification: ClassificationStep,
  minimisation: MinimisationStep,
  decisions: DecisionsStep,
  notices: NoticesStep,
  agreement: AgreementStep,
  transfer: TransferStep,
  destruction: DestructionStep,
  summary: ReviewScreen,
};
