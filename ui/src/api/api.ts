// The one module that talks to the backend. Every IPC call goes through `call`, typed by the map `Commands`
// that `make bindings` generates from the Rust command table (src-tauri/src/ipc.rs): a command that does
// not exist, a wrong argument or a wrong result type does not compile.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  CaseDetails,
  CaseFacts,
  Commands,
  CustomerFilter,
  DestroyRequest,
  DocumentRequest,
  ErrorCode,
  ErrorPayload,
  FieldType,
  ImportRequest,
  ItemState,
  Lang,
  MaskStyle,
  NewCaseRequest,
  NoticeForm,
  NoticeKind,
  OpeningProgress,
  OverrideRequest,
  PageRequest,
  PlanQuery,
  Progress,
  ReadChoices,
  ReceiveRequest,
  SaveKind,
  SourceInput,
  SourceKind,
  StatusChange,
  StepId,
} from "./bindings";

export type Command = keyof Commands;
export type CommandArgs<K extends Command> = Commands[K]["args"];
export type CommandResult<K extends Command> = Commands[K]["result"];

/** Turns whatever a failed call threw into `{code, message}`. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    // The backend's codes are the `ErrorCode` union; Tauri's own failures arrive as plain strings.
    if (typeof code === "string" && typeof message === "string") return { code: code as ErrorCode, message };
  }
  if (typeof e === "string") return { code: "internal", message: e };
  if (e instanceof Error) return { code: "internal", message: e.message };
  return { code: "internal", message: String(e) };
}

/** Calls command `cmd` with its arguments (none for a command that takes none); rejects with an `ErrorPayload`. */
export async function call<K extends Command>(
  cmd: K,
  ...args: Record<string, never> extends CommandArgs<K> ? [args?: CommandArgs<K>] : [args: CommandArgs<K>]
): Promise<CommandResult<K>> {
  try {
    const [a] = args;
    return await (a === undefined ? invoke<CommandResult<K>>(cmd) : invoke<CommandResult<K>>(cmd, a as InvokeArgs));
  } catch (e) {
    throw toErrorPayload(e);
  }
}

function channel<T>(onMessage: (p: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onMessage;
  return c;
}

/** The calls the screens use, by name. A new command needs no entry here: `call("its_name", {…})` is typed. */
export const api = {
  appInfo: () => call("app_info"),
  setLanguage: (language: Lang) => call("set_language", { language }),
  recentCases: () => call("recent_cases"),
  forgetRecentCase: (path: string) => call("forget_recent_case", { path }),
  checkPassphrase: (passphrase: string, context: string[]) => call("check_passphrase", { passphrase, context }),
  createCase: (request: NewCaseRequest) => call("create_case", { request }),
  openCase: (path: string, passphrase: string, onProgress: (p: OpeningProgress) => void = () => {}) =>
    call("open_case", { path, passphrase, onProgress: channel(onProgress) }),
  closeCase: () => call("close_case"),
  caseOverview: () => call("case_overview"),
  updateCaseDetails: (details: CaseDetails) => call("update_case_details", { details }),
  auditLog: () => call("audit_log"),
  verifyAudit: () => call("verify_audit"),
  acknowledgeAuditBreak: () => call("acknowledge_audit_break"),
  previewImport: (path: string, choices: ReadChoices) => call("preview_import", { path, choices }),
  /** Runs the import; `onProgress` is called about ten times a second. The result waits for commit or discard. */
  startImport: (request: ImportRequest, onProgress: (p: Progress) => void) =>
    call("start_import", { request, onProgress: channel(onProgress) }),
  cancelImport: () => call("cancel_import"),
  commitImport: () => call("commit_import"),
  discardImport: () => call("discard_import"),
  importProblems: (sourceId: number) => call("import_problems", { sourceId }),
  exportImportProblems: (sourceId: number, target: number) => call("export_import_problems", { sourceId, target }),
  classificationSummary: () => call("classification_summary"),
  columnReview: (sourceId: number, colIndex: number) => call("column_review", { sourceId, colIndex }),
  reclassifyColumn: (sourceId: number, colIndex: number, field: FieldType) =>
    call("reclassify_column", { sourceId, colIndex, field }),
  setMaskStyle: (style: MaskStyle) => call("set_mask_style", { style }),
  customerPage: (filter: CustomerFilter, page: PageRequest) => call("customer_page", { filter, page }),
  customerCount: (filter: CustomerFilter) => call("customer_count", { filter }),
  /** Computes what happens to every record; `onProgress` as for imports. */
  computePlan: (onProgress: (p: Progress) => void) => call("compute_plan", { onProgress: channel(onProgress) }),
  cancelPlan: () => call("cancel_plan"),
  planSummary: () => call("plan_summary"),
  planPage: (query: PlanQuery) => call("plan_page", { query }),
  explainRecord: (recordId: number) => call("explain_record", { recordId }),
  setOverride: (request: OverrideRequest) => call("set_override", { request }),
  withdrawOverride: (overrideId: number, reason: string) => call("withdraw_override", { overrideId, reason }),
  setCustomerStatus: (customerId: number, change: StatusChange) => call("set_customer_status", { customerId, change }),
  minimisation: () => call("minimisation"),
  setMinimisation: (fields: FieldType[]) => call("set_minimisation", { fields }),
  sourceKinds: () => call("source_kinds"),
  setSourceKind: (sourceId: number, kind: SourceKind) => call("set_source_kind", { sourceId, kind }),
  // The guided wizard: each change returns the whole review, so the screen shows what the case holds.
  wizardReview: () => call("wizard_review"),
  wizardSteps: () => call("wizard_steps"),
  setItemState: (itemId: string, itemState: ItemState, reason: string) =>
    call("set_item_state", { itemId, itemState, reason }),
  setItemNote: (itemId: string, note: string) => call("set_item_note", { itemId, note }),
  attachEvidence: (itemId: string, path: string) => call("attach_evidence", { itemId, path }),
  removeEvidence: (evidenceId: number) => call("remove_evidence", { evidenceId }),
  exportEvidence: (evidenceId: number, target: number) => call("export_evidence", { evidenceId, target }),
  setCurrentStep: (step: StepId) => call("set_current_step", { step }),
  registerSource: (source: SourceInput) => call("register_source", { source }),
  updateSource: (sourceId: number, source: SourceInput) => call("update_source", { sourceId, source }),
  removeSource: (sourceId: number) => call("remove_source", { sourceId }),
  // The recipient's package.
  exportPackage: (target: number) => call("export_package", { target }),
  // Where to save: the backend shows the save dialog and keeps the place; writing commands take its number.
  pickSaveFile: (kind: SaveKind, title: string, suggestedName: string) =>
    call("pick_save_file", { kind, title, suggestedName }),
  receivePackage: (request: ReceiveRequest) => call("receive_package", { request }),
  // Destruction and backups.
  destructionPreview: () => call("destruction_preview"),
  destroyCase: (request: DestroyRequest) => call("destroy_case", { request }),
  latestCertificate: () => call("latest_certificate"),
  saveCertificate: (target: number) => call("save_certificate", { target }),
  backupCase: (target: number, passphrase: string) => call("backup_case", { target, passphrase }),
  // The papers: case documents, notices, replies; the operator they name.
  caseFacts: () => call("case_facts"),
  setCaseFacts: (facts: CaseFacts) => call("set_case_facts", { facts }),
  saveCaseDocument: (target: number, request: DocumentRequest) => call("save_case_document", { target, request }),
  noticesPreview: () => call("notices_preview"),
  saveNotice: (target: number, notice: NoticeKind, form: NoticeForm) => call("save_notice", { target, notice, form }),
  importReplies: (path: string) => call("import_replies", { path }),
  operator: () => call("operator"),
  setOperator: (name: string) => call("set_operator", { name }),
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

/**
 * Save dialogs are shown by the backend, which keeps the chosen place: these return the number a writing
 * command takes (never a path the page could make up), or null when the owner cancelled.
 */
async function chooseSaveTarget(kind: SaveKind, title: string, suggestedName: string): Promise<number | null> {
  const chosen = await api.pickSaveFile(kind, title, suggestedName);
  return chosen ? chosen.target : null;
}

export async function pickSaveCsv(title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget("csv", title, suggestedName);
}

/** Any file, as evidence for a checklist item (a photo, a scan, a signed PDF). */
export async function pickEvidenceFile(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({ title, multiple: false });
  return typeof r === "string" ? r : null;
}

export async function pickSaveFile(title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget("any", title, suggestedName);
}

export async function pickPackageFile(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const r = await open({ title, multiple: false, filters: [{ name: "Handover package", extensions: ["hopkg"] }] });
  return typeof r === "string" ? r : null;
}

export async function pickSavePackage(title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget("package", title, suggestedName);
}

/** Where to save a document: PDF, or DOCX when the owner picks it. */
export async function pickSaveDocument(title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget("document", title, suggestedName);
}

/** Where to save a document in a given format (the dialog offers only that one). */
export async function pickSaveDocumentAs(format: "pdf" | "docx", title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget(format, title, suggestedName);
}

/** Where to save a copy of the case (a backup). */
export async function pickSaveBackup(title: string, suggestedName: string): Promise<number | null> {
  return chooseSaveTarget("case", title, suggestedName);
}

export async function pickSaveCase(title: string, defaultPath: string): Promise<string | null> {
  const { save } = await import("@tauri-apps/plugin-dialog");
  return save({ title, defaultPath, filters: [{ name: "Handover", extensions: ["handover"] }] });
}
