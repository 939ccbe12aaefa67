// What the destruction step shows and allows, as plain functions of the backend's answers (tested alone).
import type { DestructionPreview, DestructionReport } from "../../api/bindings";

/** One line of "what will happen", a text key and its values. */
export interface PreviewLine {
  key: "dest.willDelete" | "dest.willCopies" | "dest.willStrip" | "dest.willDeidentify";
  records: number;
}

/** The lines to show before the owner confirms; only the non-zero ones. */
export function previewLines(p: DestructionPreview): PreviewLine[] {
  const lines: PreviewLine[] = [
    { key: "dest.willDelete", records: p.records },
    { key: "dest.willCopies", records: p.transferred_copies },
    { key: "dest.willStrip", records: p.stripped_records },
    { key: "dest.willDeidentify", records: p.deidentified_records },
  ];
  return lines.filter((l) => l.records > 0);
}

/** Whether the plan allows a destruction now. */
export function planReady(p: DestructionPreview): boolean {
  return !p.plan_missing && !p.plan_stale;
}

/** Whether the destruction would change anything. */
export function hasWork(p: DestructionPreview): boolean {
  return previewLines(p).length > 0;
}

/** The button waits for the plan, some work, the tick that it cannot be undone, and the passphrase. */
export function canDestroy(p: DestructionPreview | undefined, confirmed: boolean, passphrase: string, busy: boolean): boolean {
  return p !== undefined && planReady(p) && hasWork(p) && confirmed && passphrase.length > 0 && !busy;
}

/** Records kept by law (all dates together) and blocked ones, for the "not touched" line. */
export function keptCounts(p: DestructionPreview): { held: number; blocked: number } {
  return { held: p.kept.held.reduce((n, h) => n + h.records, 0), blocked: p.kept.blocked };
}

/** The values of the certificate's summary lines. */
export function certificateFigures(r: DestructionReport) {
  const d = r.certificate.destroyed;
  const v = r.certificate.verification;
  return {
    counts: {
      records: d.records,
      copies: d.transferred_copies,
      customers: d.customers,
      deidentified: d.deidentified_records,
      evidence: d.evidence_files,
    },
    verification: { pages: v.pages_read, canaries: v.canaries, found: v.canaries_found, free: v.free_pages },
    passed: v.passed,
  };
}

/** The file name the save dialog proposes for the certificate. */
export function certificateFileName(r: DestructionReport): string {
  return `销毁证明-${r.certificate.reference}.pdf`;
}
