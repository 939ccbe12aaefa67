// The inventory step's screen: the imported files, then the places that are not files.
import { ImportStep } from "./ImportStep";
import { SourcesPanel } from "./SourcesPanel";

export function InventoryStep() {
  return (
    <>
      <ImportStep />
      <SourcesPanel />
    </>
  );
}
