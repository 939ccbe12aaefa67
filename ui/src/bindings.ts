// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.

export type Lang = "zh-CN" | "en";

export type ErrorPayload = { code: string, message: string, };

export type BusinessKind = "courier-station" | "shop" | "company";

export type TransferReason = "sale-whole" | "sale-list" | "merger" | "division" | "dissolution" | "bankruptcy";

export type Seller = { 
/**
 * Business or person name, e.g. 张记驿站.
 */
name: string, 
/**
 * Phone, email or address where customers and the recipient reach the seller.
 */
contact: string, 
/**
 * The person responsible for the customer information (负责人).
 */
responsible_person: string, };

export type Recipient = { 
/**
 * 名称或者姓名
 */
name: string, 
/**
 * 联系方式
 */
contact: string, };

export type CaseDetails = { kind: BusinessKind, reason: TransferReason, seller: Seller, 
/**
 * `None` when there is no recipient (e.g. a business deregistered without a successor).
 */
recipient: Recipient | null, handover_date: string | null, notes: string, };

export type DetailProblem = { 
/**
 * Dotted path of the field, e.g. `recipient.contact`.
 */
field: string, code: DetailProblemCode, blocking: boolean, message: string, };

export type DetailProblemCode = "seller_name_missing" | "seller_contact_missing" | "responsible_person_missing" | "recipient_missing" | "recipient_name_missing" | "recipient_contact_missing" | "handover_date_missing" | "too_long";

export type Weakness = "empty" | "too_short" | "too_guessable";

export type PassphraseCheck = { acceptable: boolean, 
/**
 * 0 (very weak) to 4 (very strong).
 */
score: number, weakness: Weakness | null, message: string, };

export type RecentCase = { path: string, 
/**
 * The file name without `.handover`.
 */
name: string, last_opened: string, 
/**
 * False when the file has been moved or deleted since.
 */
exists: boolean, };

export type CaseOverview = { path: string, file_name: string, case_id: string, created_at: string, schema_version: number, details: CaseDetails, 
/**
 * Open items in the case details (missing recipient contact…).
 */
problems: Array<DetailProblem>, sources: number, customers: number, records: number, audit_entries: number, };

export type AuditEntry = { seq: number, 
/**
 * RFC 3339, UTC.
 */
at: string, actor: string, 
/**
 * Dotted action name, e.g. `case.create`, `case.details.update`.
 */
action: string, 
/**
 * JSON object with what changed.
 */
detail: string, prev_hash: string, hash: string, };

export type AuditBreak = "altered" | "broken_link" | "missing" | "truncated";

export type AuditProblem = { 
/**
 * The first entry that fails (for `Truncated`, the first entry that should exist but doesn't).
 */
seq: number, kind: AuditBreak, at: string | null, action: string | null, };

export type AuditReport = { ok: boolean, entries: number, first_problem: AuditProblem | null, 
/**
 * One sentence for people, in the requested language.
 */
message: string, };

export type AppInfo = { version: string, language: Lang, 
/**
 * Suggested folder for new cases.
 */
default_case_dir: string, 
/**
 * The case file extension, without the dot.
 */
case_extension: string, };

export type NewCaseRequest = { 
/**
 * Full path of the case file; `.handover` is added when missing.
 */
path: string, passphrase: string, details: CaseDetails, };
