// The one module that talks to the backend. Every IPC call goes through here, typed with the bindings
// generated from the Rust types; a Rust test checks that each command named here exists in the shell.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AppInfo,
  AuditEntry,
  AuditReport,
  CaseDetails,
  CaseOverview,
  ClassificationSummary,
  ColumnReview,
  CustomerFilter,
  CustomerPage,
  CustomerStatus,
  PageRequest,
  ErrorPayload,
  FieldType,
  Lang,
  MaskStyle,
  Minimisation,
  OverrideInfo,
  OverrideRequest,
  PlanPage,
  PlanQuery,
  PlanSummary,
  RecordExplanation,
  SourceKind,
  SourceKindInfo,
  StatusChange,
  ImportPreview,
  ImportRequest,
  ImportSummary,
  ItemState,
  NewCaseRequest,
  PassphraseCheck,
  Progress,
  ReadChoices,
  RecentCase,
  Review,
  RowProblemReport,
  SourceInput,
  StepForCase,
  StepId,
} from "./bindings";

/** Turns whatever a failed call threw into `{code, message}`. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === "string" && typeof message === "string") return { code, message };
  }
  if (typeof e === "string") return { code: "internal", message: e };
  if (e instanceof Error) return { code: "internal", message: e.message };
  return { code: "internal", message: String(e) };
}

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toErrorPayload(e);
  }
}

export const api = {
  appInfo: () => call(invoke<AppInfo>("app_info")),
  setLanguage: (language: Lang) => call(invoke<null>("set_language", { language })),
  recentCases: () => call(invoke<RecentCase[]>("recent_cases")),
  forgetRecentCase: (path: string) => call(invoke<null>("forget_recent_case", { path })),
  checkPassphrase: (passphrase: string, context: string[]) =>
    call(invoke<PassphraseCheck>("check_passphrase", { passphrase, context })),
  createCase: (request: NewCaseRequest) => call(invoke<CaseOverview>("create_case", { request })),
  openCase: (path: string, passphrase: string) => call(invoke<CaseOverview>("open_case", { path, passphrase })),
  closeCase: () => call(invoke<null>("close_case")),
  caseOverview: () => call(invoke<CaseOverview>("case_overview")),
  updateCaseDetails: (details: CaseDetails) => call(invoke<CaseOverview>("update_case_details", { details })),
  auditLog: () => call(invoke<AuditEntry[]>("audit_log")),
  verifyAudit: () => call(invoke<AuditReport>("verify_audit")),
  previewImport: (path: string, choices: ReadChoices) => call(invoke<ImportPreview>("preview_import", { path, choices })),
  /** Runs the import; `onProgress` is called about ten times a second. The result waits for commit or discard. */
  startImport: (request: ImportRequest, onProgress: (p: Progress) => void) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return call(invoke<ImportSummary>("start_import", { request, onProgress: channel }));
  },
  cancelImport: () => call(invoke<null>("cancel_import")),
  commitImport: () => call(invoke<CaseOverview>("commit_import")),
  discardImport: () => call(invoke<CaseOverview>("discard_import")),
  importProblems: (sourceId: number) => call(invoke<RowProblemReport[]>("import_problems", { sourceId })),
  exportImportProblems: (sourceId: number, path: string) => call(invoke<null>("export_import_problems", { sourceId, path })),
  classificationSummary: () => call(invoke<ClassificationSummary>("classification_summary")),
  columnReview: (sourceId: number, colIndex: number) => call(invoke<ColumnReview>("column_review", { sourceId, colIndex })),
  reclassifyColumn: (sourceId: number, colIndex: number, field: FieldType) =>
    call(invoke<ClassificationSummary>("reclassify_column", { sourceId, colIndex, field })),
  setMaskStyle: (style: MaskStyle) => call(invoke<null>("set_mask_style", { style })),
  customerPage: (filter: CustomerFilter, page: PageRequest) => call(invoke<CustomerPage>("customer_page", { filter, page })),
  customerCount: (filter: CustomerFilter) => call(invoke<number>("customer_count", { filter })),
  /** Computes what happens to every record; `onProgress` as for imports. */
  computePlan: (onProgress: (p: Progress) => void) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return call(invoke<PlanSummary>("compute_plan", { onProgress: channel }));
  },
  cancelPlan: () => call(invoke<null>("cancel_plan")),
  planSummary: () => call(invoke<PlanSummary | null>("plan_summary")),
  planPage: (query: PlanQuery) => call(invoke<PlanPage>("plan_page", { query })),
  explainRecord: (recordId: number) => call(invoke<RecordExplanation>("explain_record", { recordId })),
  setOverride: (request: OverrideRequest) => call(invoke<OverrideInfo>("set_override", { request })),
  withdrawOverride: (overrideId: number, reason: string) => call(invoke<null>("withdraw_override", { overrideId, reason })),
  setCustomerStatus: (customerId: number, change: StatusChange) =>
    call(invoke<CustomerStatus>("set_customer_status", { customerId, change })),
  minimisation: () => call(invoke<Minimisation>("minimisation")),
  setMinimisation: (fields: FieldType[]) => call(invoke<Minimisation>("set_minimisation", { fields })),
  sourceKinds: () => call(invoke<SourceKindInfo[]>("source_kinds")),
  setSourceKind: (sourceId: number, kind: SourceKind) => call(invoke<SourceKindInfo>("set_source_kind", { sourceId, kind })),
  // The guided wizard: each change returns the whole review, so the screen shows what the case holds.
  wizardReview: () => call(invoke<Review>("wizard_review")),
  wizardSteps: () => call(invoke<StepForCase[]>("wizard_steps")),
  setItemState: (itemId: string, itemState: ItemState, reason: string) =>
    call(invoke<Review>("set_item_state", { itemId, itemState, reason })),
  setItemNote: (itemId: string, note: string) => call(invoke<Review>("set_item_note", { itemId, note })),
  attachEvidence: (itemId: string, path: string) => call(invoke<Review>("attach_evidence", { itemId, path })),
  removeEvidence: (evidenceId: number) => call(invoke<Review>("remove_evidence", { evidenceId })),
  exportEvidence: (evidenceId: number, path: string) => call(invoke<null>("export_evidence", { evidenceId, path })),
  setCurrentStep: (step: StepId) => call(invoke<StepId>("set_current_step", { step })),
  registerSource: (source: SourceInput) => call(invoke<Review>("register_source", { source })),
  updateSource: (sourceId: number, source: SourceInput) => call(invoke<Review>("update_source", { sourceId, source })),
  removeSource: (sourceId: number) => call(invoke<Review>("remove_source", { sourceId })),
};

/** Native file dialogs (the dialog plugin). Kept here so nothing else imports Tauri. */
export async function pickFolder(defaultPath: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({ directory: true, defaultPath });
  return typeof r === "string" ? r : null;
}

export async function pickCaseFile(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({ title, multiple: false, filters: [{ name: "Handover", extensions: ["handover"] }] });
  return typeof r === "string" ? r : null;
}

export async function pickTableFile(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({
    title,
    multiple: false,
    filters: [{ name: "CSV / Excel", extensions: ["csv", "txt", "tsv", "xlsx", "xls", "ods"] }],
  });
  return typeof r === "string" ? r : null;
}

export async function pickSaveCsv(title: string, defaultPath: string): Promise<string | null> {
  const { save } = await import("@tauri-apps/plugin-dialog");
  return save({ title, defaultPath, filters: [{ name: "CSV", extensions: ["csv"] }] });
}

/** Any file, as evidence for a checklist item (a photo, a scan, a signed PDF). */
export async function pickEvidenceFile(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({ title, multiple: false });
  return typeof r === "string" ? r : null;
}

export async function pickSaveFile(title: string, defaultPath: string): Promise<string | null> {
  const { save } = await import("@tauri-apps/plugin-dialog");
  return save({ title, defaultPath });
}
