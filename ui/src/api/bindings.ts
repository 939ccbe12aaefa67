// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.

import type { Channel } from "@tauri-apps/api/core";

export type Advice = "change-passphrase" | "delete-old-copies" | "backups-hold-deleted-data" | "paper-pending";

export type Answer = "yes" | "no" | "unknown";

export type AppInfo = { version: string, language: Lang, 
/**
 * Suggested folder for new cases.
 */
default_case_dir: string, 
/**
 * The case file extension, without the dot.
 */
case_extension: string, };

export type AuditBreak = "altered" | "broken_link" | "missing" | "truncated";

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

export type BackupLine = { path: string, at: string, sha256: string, };

export type BackupRecord = { path: string, sha256: string, size_bytes: number, at: string, actor: string, };

export type BlockedBy = "separate-consent" | "guardian-consent" | "refund-or-consent" | "refund" | "owner" | "new-consent" | "transfer-mechanism" | "refund-to-estate";

export type BusinessKind = "courier-station" | "shop" | "company";

export type CaseDetails = { kind: BusinessKind, reason: TransferReason, seller: Seller, 
/**
 * `None` when there is no recipient (e.g. a business deregistered without a successor).
 */
recipient: Recipient | null, handover_date: string | null, notes: string, };

export type CaseDocument = "summary" | "agreement" | "assessment";

export type CaseFact = "case.kind" | "case.reason" | "case.seller" | "case.responsible" | "case.recipient" | "case.handover-date" | "case.purpose-change" | "case.cross-border";

export type CaseFacts = { legal_form: LegalForm | null, purpose_change: boolean | null, cross_border: boolean | null, cross_border_mechanism: CrossBorderMechanism | null, 
/**
 * The price of a customer list sold on its own (sale-list), in whole yuan: illegal gains when records
 * leave without a basis (2017 interpretation Art. 5(1)(7)–(8)).
 */
list_price: number | null, };

export type CaseOverview = { path: string, file_name: string, case_id: string, created_at: string, schema_version: number, details: CaseDetails, 
/**
 * Open items in the case details (missing recipient contact…).
 */
problems: Array<DetailProblem>, sources: number, customers: number, records: number, audit_entries: number, 
/**
 * The hash of the audit log's last entry: printed on paper (status, summary, package) so a later
 * rewrite of the log — even one with the passphrase and every hash recomputed — contradicts it.
 */
audit_head_hash: string | null, 
/**
 * The first break in the audit chain found when the case was opened; `None` when it verified.
 */
audit_break: AuditProblem | null, };

export type Category = "basic" | "transaction" | "preference";

export type CertificateModel = { 
/**
 * Short reference printed on the certificate and written into the audit log, e.g. `XH-20261205-1a2b3c4d`.
 */
reference: string, case_id: string, 
/**
 * The business (seller) and its responsible person: the controller, not a customer.
 */
seller: string, responsible_person: string, 
/**
 * Who ran the destruction (the audit log's actor).
 */
operator: string, performed_at: string, method: Method, destroyed: Destroyed, verification: Verification, paper: Array<PaperLine>, kept: Kept, backups_before: Array<BackupLine>, advice: Array<Advice>, signatures: Array<SignatureRole>, };

export type ChosenFile = { target: number, path: string, };

export type Citation = { 
/**
 * A [`Law::id`].
 */
law: string, 
/**
 * The article number as written in the law ("22", "253-1").
 */
article: string, mark: Mark, };

export type ClassificationSummary = { customers: number, records: number, 
/**
 * Per field type id (`mobile`, `id_card`, …), only kinds of personal information that occur.
 */
pii: { [key in string]: KindCount }, categories: CustomerCounts, 
/**
 * Customers with at least one sensitive field (PIPL Art. 28), counting minors under 14 (whose
 * information is sensitive as a whole).
 */
sensitive_customers: number, 
/**
 * Customers whose ID number shows an age under 14 on `reference_date` (PIPL Art. 31).
 */
minors: number, 
/**
 * Pieces of personal information found inside free text, and the records that hold them.
 */
free_text_findings: number, records_with_free_text_findings: number, 
/**
 * The handover date, or today when none is set yet: the day minors' ages are counted on.
 */
reference_date: string, mask_style: MaskStyle, columns: Array<ColumnSummary>, 
/**
 * Notes whose ID number shows a customer under 14: they count for minors and sensitivity like an ID
 * column (at most [`NOTE_EVIDENCE_LISTED`], in record order).
 */
minors_in_notes: Array<NoteIdEvidence>, minors_in_notes_total: number, };

export type ColumnProposal = { index: number, header: string, field: FieldType, confidence: number, 
/**
 * Why this field, in the owner's language ("表头“联系电话”；抽样 20 个值中 20 个是有效手机号").
 */
evidence: string, 
/**
 * True when the field comes from the mapping the owner confirmed for this layout before.
 */
remembered: boolean, };

export type ColumnReview = { source_id: number, col_index: number, header: string, field: FieldType, category: Category, sensitivity: Sensitivity, 
/**
 * What the classifier would choose from the header and the sampled values, and why.
 */
suggested: FieldType, confidence: number, evidence: string, 
/**
 * Non-empty values sampled, and how many are valid for `field`.
 */
sampled: number, valid: number, samples: Array<ColumnSample>, mask_style: MaskStyle, };

export type ColumnSample = { 
/**
 * The row number in the file.
 */
row: number, 
/**
 * The value, masked with the case's style.
 */
masked: string, 
/**
 * Whether the value is valid for the column's current field.
 */
valid: boolean, };

export type ColumnSummary = { source_id: number, source_label: string, 
/**
 * 0-based.
 */
col_index: number, header: string, field: FieldType, field_label: string, category: Category, sensitivity: Sensitivity, 
/**
 * Cells in this source's columns of `field` holding a valid value, for kinds of personal information;
 * `None` for other fields (balances, notes…), which are not counted as such.
 */
valid_cells: number | null, };

export type CopyCounts = { case_id: string, schema_version: number, sources: number, customers: number, records: number, audit_entries: number, };

export type CopyReport = { path: string, sha256: string, size_bytes: number, counts: CopyCounts, 
/**
 * The copy's audit chain verified.
 */
audit_ok: boolean, };

export type CrossBorderMechanism = "security-assessment" | "standard-contract" | "certification";

export type CustomerCounts = { basic: number, transaction: number, preference: number, general: number, sensitive: number, };

export type CustomerFilter = { 
/**
 * Digits: a mobile number or its beginning (spaces, dashes and a +86 prefix are ignored). Anything
 * else: the beginning of a name.
 */
search: string | null, 
/**
 * Customers with at least one record carrying information of this category.
 */
category: Category | null, 
/**
 * Sensitive: at least one record with a sensitive field (ID number, bank card; a prepaid balance is not one).
 * General: none.
 */
sensitivity: Sensitivity | null, 
/**
 * Customers with at least one record given this outcome in the current plan.
 */
outcome: Outcome | null, };

export type CustomerPage = { rows: Array<CustomerRow>, 
/**
 * `after_id` for the next page; `None` when this was the last.
 */
next_after_id: number | null, };

export type CustomerRow = { id: number, 
/**
 * Masked.
 */
name: string | null, 
/**
 * Masked.
 */
mobile: string | null, has_id_number: boolean, 
/**
 * How many imported rows are linked to the customer.
 */
records: number, };

export type CustomerStatus = { customer_id: number, 
/**
 * Separate consent (单独同意) to the transfer to the recipient, including the takeover of a balance.
 */
consent: Answer, consent_recorded: Recorded | null, 
/**
 * A parent's or guardian's consent, for a customer under 14.
 */
guardian_consent: Answer, guardian_consent_recorded: Recorded | null, objection: boolean, objection_recorded: Recorded | null, deletion_request: boolean, deletion_request_recorded: Recorded | null, 
/**
 * The prepaid balance was refunded.
 */
refunded: boolean, refunded_recorded: Recorded | null, 
/**
 * The customer has died (PIPL Art. 49: close relatives may exercise the rights; a balance belongs to
 * the estate).
 */
deceased: boolean, deceased_recorded: Recorded | null, 
/**
 * The customer withdrew consent before the handover (PIPL Art. 15, 47(3): delete).
 */
consent_withdrawn: boolean, consent_withdrawn_recorded: Recorded | null, };

export type DataAnswer = { from: DataFact, 
/**
 * `None` while the figure is not known ([`DataAnswer::not_yet`] says why).
 */
figure: Figure | null, not_yet: NotYet | null, 
/**
 * The figure is known and settles the item: it is done.
 */
answered: boolean, 
/**
 * While not answered: the step to do first (where the figure comes from, or where the rest is done).
 */
go_to: StepId | null, 
/**
 * The sentence shown with the item: the figure, or why it is not known and what to do.
 */
note: Text, };

export type DataFact = "overview.columns" | "overview.minors" | "minimisation.fields" | "plan.prepaid" | "plan.parcels" | "plan.legal-hold" | "notices.replies";

export type DerivedFrom = CaseFact | DataFact;

export type DestroyRequest = { confirmed: boolean, passphrase: string, };

export type Destroyed = { 
/**
 * Records whose outcome was delete.
 */
records: number, 
/**
 * The seller's copies of transferred records (only once the recipient's receipt is recorded).
 */
transferred_copies: number, 
/**
 * Customers none of whose records remain (with their keys and what they said).
 */
customers: number, 
/**
 * Import problems that held a deleted record's cells.
 */
import_problems: number, 
/**
 * Records that stay with some fields removed.
 */
stripped_records: number, stripped_fields: Array<FieldCount>, by_source: Array<SourceCount>, 
/**
 * Records whose outcome was de-identify: every identifying field removed (cells blanked, normalised
 * values and findings in free text gone), the rest (amounts, dates) kept.
 */
deidentified_records: number, 
/**
 * Attached evidence files (wizard evidence) that held a deleted phone or ID number, deleted whole.
 */
evidence_files: number, 
/**
 * SHA-256 over the sorted internal ids of the deleted records, one decimal id and a newline each: lets an
 * auditor check a list of ids without the certificate naming anyone.
 */
deleted_ids_sha256: string, };

export type DestructionPreview = { 
/**
 * No plan yet, or an out-of-date one: destruction is refused until it is recomputed.
 */
plan_missing: boolean, plan_stale: boolean, 
/**
 * Records whose outcome is delete.
 */
records: number, 
/**
 * The seller's copies of transferred records that go (0 until the receipt is recorded).
 */
transferred_copies: number, 
/**
 * Transferred records that stay (no receipt yet) and lose the fields the recipient does not get.
 */
stripped_records: number, 
/**
 * Records whose outcome is de-identify: they lose every identifier ([`DEIDENTIFIED_FIELDS`]).
 */
deidentified_records: number, by_source: Array<SourceCount>, kept: Kept, receipt: Receipt | null, paper: Array<PaperLine>, 
/**
 * Backups the app made: they keep what a destruction deletes.
 */
backups: Array<BackupRecord>, };

export type DestructionReport = { certificate: CertificateModel, certificate_sha256: string, 
/**
 * The audit entry that records the certificate (`destruction.certificate`): its number and hash.
 */
audit_seq: number, audit_hash: string, };

export type DetailProblem = { 
/**
 * Dotted path of the field, e.g. `recipient.contact`.
 */
field: string, code: DetailProblemCode, blocking: boolean, message: string, };

export type DetailProblemCode = "seller_name_missing" | "seller_contact_missing" | "responsible_person_missing" | "recipient_missing" | "recipient_name_missing" | "recipient_contact_missing" | "handover_date_missing" | "too_long" | "bankruptcy_not_for_sole_proprietor";

export type DocumentRequest = { document: CaseDocument, 
/**
 * A draft even when a final document could be made (one is a draft anyway while a required
 * checklist item is open).
 */
draft: boolean, 
/**
 * The operator (经办人) the document names; blank: the person working the case.
 */
operator: string, };

export type EarlierImport = { label: string, imported_at: string, };

export type ErrorCode = "wrong_passphrase" | "not_a_case" | "corrupted" | "newer_version" | "file_not_found" | "file_exists" | "save_target_not_chosen" | "save_target_is_the_case" | "busy" | "no_passphrase" | "passphrase_mismatch" | "weak_passphrase" | "invalid_details" | "no_case_open" | "io" | "database" | "disk_full" | "cancelled" | "duplicate_import" | "import_refused" | "import_pending" | "audit_broken" | "override_reason_missing" | "override_needs_acknowledgement" | "unknown_customer" | "unknown_record" | "unknown_source" | "unknown_override" | "no_customer_with_phone" | "nothing_to_change" | "invalid_rulebook" | "amount_out_of_range" | "unknown_item" | "item_from_case_details" | "item_from_app_data" | "reason_required" | "evidence_too_large" | "text_too_long" | "text_required" | "not_customer_information" | "transfer_without_basis" | "not_found" | "notices_need_plan" | "sms_too_long" | "bad_sms_signature" | "reply_columns_missing" | "invalid_notice_templates" | "too_many_letters" | "internal" | "nothing_to_transfer" | "not_a_package" | "package_wrong_passphrase" | "package_damaged" | "package_newer_format" | "package_missing_part" | "package_extra_part" | "package_part_mismatch" | "package_unsafe_path" | "package_changed" | "package_inconsistent" | "destroy_not_confirmed" | "plan_missing" | "plan_stale" | "invalid_sha256" | "backup_mismatch" | "not_received" | "no_certificate";

export type ErrorPayload = { code: ErrorCode, message: string, };

export type Evidence = { id: number, item_id: string, file_name: string, size_bytes: number, 
/**
 * Hex SHA-256 of the bytes, printed in the summary so a copy can be checked against it.
 */
sha256: string, added_at: string, actor: string, };

export type ExplainedCitation = { 
/**
 * "个人信息保护法 第二十二条" / "PIPL Art. 22".
 */
text: Text, 
/**
 * The law's full title.
 */
law_name: Text, quote: string, mark: Mark, 
/**
 * Shown as "待核实 / to be verified".
 */
needs_verification: boolean, };

export type ExplainedRule = { rule: string, title: Text, outcome: Outcome, explanation: Text, citations: Array<ExplainedCitation>, };

export type ExportedPackage = { path: string, sha256: string, size: number, customers: number, records: number, prepaid_total: string, passphrase: string, };

export type ExposureCheck = { records_without_basis: number, counts: Array<ExposureCount>, 
/**
 * Of the records without basis, those placed in the 500 tier by court practice (address + phone, plate +
 * owner): the placement is to be verified.
 */
placed_by_practice: number, 
/**
 * A list sold while some of its records lack a basis: its price against the gains threshold.
 */
gains: GainsCheck | null, level: ExposureLevel, 
/**
 * The transfer package must not be made while this is true.
 */
blocks_transfer: boolean, explanation: string, citations: Array<string>, };

export type ExposureClass = "property" | "transaction" | "other";

export type ExposureCount = { class: ExposureClass, label: string, records: number, 
/**
 * The halved threshold that applies (25 / 250 / 2,500).
 */
threshold: number, level: ExposureLevel, };

export type ExposureLevel = "none" | "below_threshold" | "serious" | "especially_serious";

export type FieldCount = { field: FieldType, records: number, };

export type FieldType = "name" | "mobile" | "landline" | "id_card" | "address" | "bank_card" | "email" | "qq" | "wechat" | "plate" | "waybill" | "pickup_code" | "courier_company" | "member_number" | "prepaid_balance" | "points" | "last_activity" | "birthday" | "gender" | "notes" | "other" | "organisation_name" | "contact_person" | "bank_branch" | "amount_owed" | "transaction_amount" | "top_up_amount" | "document_date" | "parcel_arrival_time" | "pickup_time" | "parcel_status";

export type Figure = { "kind": "columns", files: number, columns: number, 
/**
 * Columns of sensitive information (PIPL Art. 28).
 */
sensitive: number, 
/**
 * Columns the app could not place (field `other`): scanned and masked, to be looked at.
 */
unrecognised: number, } | { "kind": "minors", minors: number, counted_on: string, } | { "kind": "fields-kept", fields: Array<FieldType>, } | { "kind": "prepaid", total: string, customers: number, records: number, waiting_total: string, waiting_records: number, } | { "kind": "parcels", parcels: number, } | { "kind": "legal-hold", records: number, first_end: string | null, last_end: string | null, } | { "kind": "replies", answers: RecordedAnswers, waiting_customers: number, };

export type GainsCheck = { 
/**
 * The price the owner stated, in yuan.
 */
price: number, 
/**
 * ¥2,500: ¥5,000 halved for information obtained while providing a service.
 */
threshold: number, level: ExposureLevel, };

export type HeldLine = { until: string, records: number, };

export type ImportPreview = { path: string, file_name: string, format: string, encoding: string, delimiter: string | null, sheets: Array<string>, sheet: string | null, header_row: number, columns: Array<ColumnProposal>, 
/**
 * The first data rows, as read (row number and cells).
 */
rows: Array<PreviewRow>, size_bytes: number, content_sha256: string, duplicate_of: EarlierImport | null, 
/**
 * What the reader did on its own (rows above the header skipped, empty sheets passed over, the other
 * sheets of a workbook not imported with this one…), in the owner's language.
 */
notes: Array<string>, 
/**
 * The sheets of a workbook that this import leaves out (each is imported on its own by choosing it);
 * empty sheets before the one read and text files: none.
 */
sheets_not_imported: Array<string>, };

export type ImportRequest = { path: string, choices: ReadChoices, 
/**
 * The owner's mapping, one field per column; `None` takes the proposal.
 */
fields: Array<FieldType> | null, 
/**
 * The owner confirmed importing content that was imported before.
 */
allow_duplicate: boolean, };

export type ImportSummary = { source_id: number, rows_imported: number, rows_flagged: number, rows_rejected: number, customers_created: number, records_linked_to_existing: number, 
/**
 * At most `PROBLEMS_LISTED` problems; all of them are in the case and can be exported.
 */
problems: Array<RowProblemReport>, problems_total: number, };

export type ItemCounts = { 
/**
 * Items that apply to the case.
 */
applicable: number, done: number, not_applicable: number, later: number, 
/**
 * Neither answered nor put off.
 */
open: number, 
/**
 * Applicable blocking items not yet resolved.
 */
blocking_open: number, evidence_files: number, };

export type ItemForCase = { id: string, text: Text, help: Text | null, sources: Array<SourceRef>, citations: Array<Citation>, blocking: boolean, applies: boolean, 
/**
 * The item's own reason, or its step's when the whole step does not apply.
 */
not_applicable_reason: Text | null, 
/**
 * `blocking && applies`: printing the summary waits for it.
 */
blocks_printing: boolean, 
/**
 * `Some`: its state follows the case details or the app's figures and cannot be set by hand (a note
 * and evidence can).
 */
derived_from: DerivedFrom | null, };

export type ItemProgress = { item_id: string, state: ItemState, 
/**
 * Why it does not apply (only for `NotApplicable`).
 */
reason: string, note: string, 
/**
 * `None` while the owner has not touched the item.
 */
updated_at: string | null, actor: string | null, evidence: Array<Evidence>, };

export type ItemState = "open" | "done" | "not_applicable" | "later";

export type Kept = { held: Array<HeldLine>, blocked: number, keep: number, returned: number, deidentify: number, 
/**
 * Transferred records whose seller copy stays until the recipient's receipt is recorded.
 */
transfer_awaiting_receipt: number, };

export type KindCount = { 
/**
 * Cells of columns mapped to this kind that hold a valid value.
 */
column_cells: number, 
/**
 * Occurrences found inside free-text cells (notes, other).
 */
text_findings: number, 
/**
 * Records that carry this kind, in a column or in free text.
 */
records: number, };

export type Lang = "zh-CN" | "en";

export type Law = { id: string, name: Text, 
/**
 * A caveat about the text used (e.g. article numbers of an older version).
 */
note: Text | null, };

export type LegalForm = "individual-business" | "company" | "other";

export type Mark = "checked" | "secondary" | "unverified";

export type MaskStyle = "standard" | "strict";

export type Method = { 
/**
 * `sqlcipher-rebuild`: what stays copied into a fresh file keyed like the case, which then takes the
 * case file's place (renamed over it, the old file overwritten with zeros; where files cannot be locked,
 * its pages written over the case's in one transaction), no free page left (certificates before
 * 2026-12-06 say `sqlcipher-secure-delete-vacuum`: deleted in place, then `VACUUM`).
 */
code: string, tool: string, tool_version: string, 
/**
 * SQLCipher's version (`PRAGMA cipher_version`).
 */
cipher_version: string, };

export type Minimisation = { fields: Array<FieldType>, 
/**
 * False while the app's default applies.
 */
chosen: boolean, recorded: Recorded | null, };

export type NewCaseRequest = { 
/**
 * Full path of the case file; `.handover` is added when missing.
 */
path: string, passphrase: string, details: CaseDetails, };

export type NotYet = "nothing-imported" | "fields-not-chosen" | "plan-missing" | "plan-stale";

export type NoteIdEvidence = { source_id: number, source_label: string, 
/**
 * The row number in the file.
 */
row: number, 
/**
 * The header of the note's column.
 */
header: string, 
/**
 * The whole note with every piece of personal information in it masked (the ID's birth date hidden).
 */
masked_note: string, 
/**
 * The age the ID number shows on `reference_date`.
 */
age: number, };

export type NoticeForm = "letter" | "sms" | "csv" | "poster";

export type NoticeKind = "art22" | "art22-bankruptcy" | "art23" | "creditor-merger" | "creditor-sale" | "creditor-closing" | "creditor-bankruptcy" | "station-closing";

export type NoticeSummary = { notice: NoticeKind, title: string, 
/**
 * Customers who receive it one by one.
 */
customers: number, 
/**
 * Of them, customers with a mobile number (the SMS and the platform file reach only them).
 */
with_phone: number, 
/**
 * The SMS; for a creditor notice the template with the platform variable `${balance}`.
 */
sms: SmsText, 
/**
 * The longest SMS among the customers (units), and its parts.
 */
longest_units: number, longest_parts: number, poster_title: string, poster: Array<string>, };

export type NoticesPreview = { lang: Lang, signature: string, notices: Array<NoticeSummary>, template_sha256: string, };

export type OpenItem = { step: StepId, step_number: number, item_id: string, text: Text, state: ItemState, };

export type OpeningProgress = { stage: OpeningStage, 
/**
 * Work done and total in the stage's unit (pages); both 0 when the stage cannot say.
 */
done: number, total: number, };

export type OpeningStage = "checking_pages" | "checking_history" | "counting";

export type Outcome = "transfer" | "keep" | "retain" | "delete" | "deidentify" | "return" | "blocked";

export type OutcomeCount = { outcome: Outcome, label: Text, count: number, 
/**
 * The deciding rule (the last applied) of the records with this outcome, most frequent first.
 */
reasons: Array<RuleCount>, };

export type OverrideInfo = { id: number, target: OverrideTarget, outcome: Outcome, reason: string, acknowledged: boolean, 
/**
 * What the rules said when the override was made.
 */
rule_outcomes: Array<Outcome>, actor: string, at: string, withdrawn_at: string | null, };

export type OverrideRequest = { target: OverrideTarget, outcome: Outcome, 
/**
 * Why, in the owner's words. Required.
 */
reason: string, 
/**
 * The owner explicitly acknowledged lifting a legal hold or a block. Required when the rules' outcome
 * is retain or blocked.
 */
acknowledged: boolean, };

export type OverrideTarget = { "record": number } | { "customer": number };

export type PageRequest = { 
/**
 * Customers with an id greater than this (the last id of the previous page; 0 for the first page).
 */
after_id: number, limit: number, };

export type PaperLine = { source_id: number, label: string, 
/**
 * `None`: still to be destroyed and confirmed.
 */
witness: string | null, destroyed_on: string | null, };

export type Party = { name: string, contact: string, };

export type PassphraseCheck = { acceptable: boolean, 
/**
 * 0 (very weak) to 4 (very strong).
 */
score: number, weakness: Weakness | null, message: string, };

export type PlaceKind = "paper" | "phone-contacts" | "wechat-group" | "courier-platform" | "employee-records" | "cctv" | "other";

export type PlanPage = { 
/**
 * Rows matching the filter (all pages).
 */
total: number, rows: Array<PlanRow>, 
/**
 * Pass as `after_record_id` for the next page; `None` on the last page.
 */
next_after: number | null, };

export type PlanQuery = { outcome: Outcome | null, 
/**
 * Rows where this rule applied anywhere in the chain.
 */
rule: string | null, customer_id: number | null, 
/**
 * Keyset paging: rows after this record id (fast at any depth). Combine with `offset` = 0.
 */
after_record_id: number | null, offset: number, 
/**
 * At most 1,000.
 */
limit: number, };

export type PlanRow = { record_id: number, source_id: number, source: string, 
/**
 * The row number in the source file.
 */
row: number, customer_id: number | null, 
/**
 * Masked.
 */
name: string | null, 
/**
 * Masked.
 */
mobile: string | null, outcome: Outcome, 
/**
 * The rules' outcome before an override.
 */
rule_outcome: Outcome, retain_until: string | null, blocked_by: BlockedBy | null, stripped_fields: Array<FieldType>, rules: Array<string>, overridden: boolean, 
/**
 * A positive prepaid balance.
 */
balance: string | null, 
/**
 * The customer asked for deletion (or withdrew consent) and the record is not deleted: the customer is
 * told why (PIPL Art. 50); the reason is the deciding rule.
 */
deletion_refused: boolean, };

export type PlanSummary = { computed_at: string, rulebook_sha256: string, handover_date: string, 
/**
 * Something the plan depends on changed since (a choice of the owner, the case details, the records, the
 * rulebook): recompute.
 */
stale: boolean, records: number, 
/**
 * Every outcome, in [`Outcome::ALL`] order, zero counts included.
 */
outcomes: Array<OutcomeCount>, 
/**
 * Every rule that applies to at least one record (applied anywhere in its chain), most frequent first.
 */
rules: Array<RuleCount>, prepaid: PrepaidTotals, exposure: ExposureCheck, 
/**
 * Customers who asked for deletion but whose records are under a legal hold: they must be told.
 */
hold_notices: number, 
/**
 * Records whose customer asked for deletion (or withdrew consent) and which are not deleted, for any
 * reason: each refusal is explained to the customer (PIPL Art. 50).
 */
deletion_refusals: number, overrides: number, minimisation: Minimisation, };

export type PrepaidByOutcome = { outcome: Outcome, total: string, records: number, };

export type PrepaidTotals = { 
/**
 * The sum of all positive balances: what the business owes its customers.
 */
total: string, 
/**
 * Records with a positive balance.
 */
records: number, 
/**
 * Customers with at least one positive balance.
 */
customers: number, 
/**
 * Of the total, the part refunded according to the customers' statuses.
 */
refunded: string, 
/**
 * The total per outcome (only outcomes that carry a balance).
 */
by_outcome: Array<PrepaidByOutcome>, };

export type PreviewRow = { row_number: number, cells: Array<string>, 
/**
 * Problems the reader already sees in this row.
 */
problems: Array<string>, };

export type Progress = { rows: number, 
/**
 * Work done and total, in the reader's unit (bytes of a text file, rows of a sheet).
 */
done: number, total: number, percent: number, rows_per_second: number, };

export type ReadChoices = { 
/**
 * An encoding label such as `UTF-8`, `GB18030`, `UTF-16LE`.
 */
encoding: string | null, 
/**
 * `,` `\t` `;` or `|`.
 */
delimiter: string | null, sheet: string | null, 
/**
 * 1-based row number of the header.
 */
header_row: number | null, };

export type Receipt = { package_sha256: string, signed_on: string, actor: string, at: string, };

export type ReceiptModel = { package_sha256: string, package_file: string, format_version: number, seller: Party, seller_case_id: string, recipient: Party, 
/**
 * When the seller made the package, and when it was received (RFC 3339, UTC).
 */
package_created_at: string, received_at: string, handover_date: string | null, customers: number, records: number, 
/**
 * Sum of the positive prepaid balances received, exact to the fen.
 */
prepaid_total: string, 
/**
 * Attached files received (the signed agreement).
 */
evidence: number, };

export type ReceiveRequest = { package_path: string, package_passphrase: string, 
/**
 * Full path of the new case file; `.handover` is added when missing.
 */
case_path: string, case_passphrase: string, };

export type ReceivedCase = { overview: CaseOverview, receipt: ReceiptModel, };

export type RecentCase = { path: string, 
/**
 * The file name without `.handover`.
 */
name: string, last_opened: string, 
/**
 * False when the file has been moved or deleted since.
 */
exists: boolean, };

export type Recipient = { 
/**
 * 名称或者姓名
 */
name: string, 
/**
 * 联系方式
 */
contact: string, };

export type RecordExplanation = { row: PlanRow, outcome_label: Text, blocked_by_label: Text | null, stripped_labels: Array<Text>, 
/**
 * The rules in the order applied; the last decided (unless overridden).
 */
rules: Array<ExplainedRule>, override_info: OverrideInfo | null, status: CustomerStatus | null, 
/**
 * Things the owner must do or tell (e.g. a refused deletion request under a legal hold).
 */
notices: Array<Text>, };

export type Recorded = { by: string, at: string, };

export type RecordedAnswers = { consented: number, refused: number, guardian_consented: number, guardian_refused: number, objected: number, deletion: number, sent: number, failed: number, };

export type RegisteredSource = { id: number, kind: PlaceKind, label: string, description: string, handling: SourceHandling, handling_note: string, created_at: string, updated_at: string, };

export type ReplyCounts = { 
/**
 * Data rows read.
 */
rows: number, sent: number, failed: number, objected: number, consented: number, refused: number, deletion: number, 
/**
 * Replies that changed a customer's record.
 */
changed: number, 
/**
 * Replies that repeated what was already recorded.
 */
unchanged: number, 
/**
 * Rows whose phone or customer number matches no customer.
 */
unknown_customer: number, 
/**
 * Rows whose status cell is empty or means nothing known.
 */
unknown_status: number, };

export type ReplyImport = { file: string, sha256: string, phone_column: string | null, customer_column: string | null, status_column: string, counts: ReplyCounts, 
/**
 * The first rows that could not be used (row number as the owner sees it), at most 50.
 */
skipped_rows: Array<number>, };

export type Review = { situation: Situation, current_step: StepId, steps: Array<ReviewStep>, totals: ItemCounts, 
/**
 * Applicable blocking items not yet done or marked not applicable, in step order.
 */
open_blocking: Array<OpenItem>, 
/**
 * False while any blocking item is open; a draft can always be printed.
 */
can_print_final: boolean, 
/**
 * Registered sources that are not files (the inventory step).
 */
sources: Array<RegisteredSource>, 
/**
 * The laws the items cite, to name them.
 */
laws: Array<Law>, };

export type ReviewItem = { item: ItemForCase, progress: ItemProgress, 
/**
 * Applies, blocks printing and is not resolved.
 */
blocking_open: boolean, 
/**
 * For an item answered by the case details: that its state comes from them, or what they still need.
 */
from_case_details: Text | null, 
/**
 * For an item answered by the app's figures: the figure, or why it is not known yet and what to do.
 */
from_data: DataAnswer | null, };

export type ReviewStep = { id: StepId, number: number, title: Text, why: Text, what_to_do: Text, sources: Array<SourceRef>, applies: boolean, 
/**
 * Shown instead of the step's content when it does not apply.
 */
not_applicable_reason: Text | null, items: Array<ReviewItem>, counts: ItemCounts, };

export type RowProblemReport = { row: number, 
/**
 * 1-based column number, and its header.
 */
column: number | null, header: string | null, severity: string, kind: string, reason: string, };

export type RuleCount = { rule: string, title: Text, count: number, };

export type SaveKind = "csv" | "pdf" | "docx" | "document" | "package" | "case" | "any";

export type SavedAnnex = { path: string, sha256: string, rows: number, };

export type SavedCaseDocument = { saved: SavedDocument, draft: boolean, 
/**
 * Required checklist items still open (why it is a draft).
 */
open_blocking: number, 
/**
 * The operator the document names.
 */
operator: string, annex: SavedAnnex | null, };

export type SavedDocument = { path: string, 
/**
 * `pdf` or `docx`.
 */
format: string, sha256: string, pages: number | null, };

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

export type Sensitivity = "general" | "sensitive";

export type SignatureRole = "operator" | "responsible-person" | "witness";

export type Situation = { kind: BusinessKind, reason: TransferReason, 
/**
 * Whether someone receives the customer information.
 */
has_recipient: boolean, };

export type SmsText = { text: string, units: number, parts: number, 
/**
 * The parts the notice's template declares: `parts <= declared_parts` always holds for a text
 * [`compose`] returned.
 */
declared_parts: number, };

export type SourceCount = { source_id: number, 
/**
 * The source's label (the imported file's name), never a customer's data.
 */
label: string, 
/**
 * Records the plan decided to delete.
 */
deleted: number, 
/**
 * The seller's copies of transferred records, deleted after the recipient's receipt.
 */
transferred_copies: number, 
/**
 * Records that stay (transferred, awaiting the receipt) with fields the recipient does not get removed.
 */
stripped: number, 
/**
 * Records whose outcome was de-identify: their identifying fields removed, the rest kept.
 */
deidentified: number, };

export type SourceHandling = "undecided" | "transfer" | "keep" | "destroy" | "return";

export type SourceInput = { kind: PlaceKind, 
/**
 * A short name, e.g. "2023–2025 取件登记本（3本）".
 */
label: string, 
/**
 * Where it is, how much, whose it is.
 */
description: string, handling: SourceHandling, 
/**
 * How exactly, e.g. "交接后用碎纸机粉碎，拍照留证".
 */
handling_note: string, };

export type SourceKind = "customer-list" | "courier-platform" | "tax-invoice" | "accounting-voucher" | "prepaid-registration";

export type SourceKindInfo = { source_id: number, label: string, kind: SourceKind, 
/**
 * What the app guessed, and why (in the requested language).
 */
guessed: SourceKind, evidence: string, 
/**
 * The owner set the kind (then `kind` may differ from `guessed`).
 */
owner_set: boolean, };

export type SourceRef = { article: string, section: string, };

export type StatusChange = { consent: Answer | null, guardian_consent: Answer | null, objection: boolean | null, deletion_request: boolean | null, refunded: boolean | null, 
/**
 * The customer has died (PIPL Art. 49).
 */
deceased: boolean | null, 
/**
 * The customer withdrew consent earlier (PIPL Art. 15, 47(3)).
 */
consent_withdrawn: boolean | null, };

export type StepForCase = { id: StepId, 
/**
 * 1-based.
 */
number: number, title: Text, why: Text, what_to_do: Text, sources: Array<SourceRef>, applies: boolean, 
/**
 * Shown instead of the step's content when it does not apply.
 */
not_applicable_reason: Text | null, items: Array<ItemForCase>, };

export type StepId = "case" | "inventory" | "classification" | "minimisation" | "decisions" | "notices" | "agreement" | "transfer" | "destruction" | "security" | "summary";

export type Text = { zh: string, en: string, };

export type TransferReason = "sale-whole" | "sale-list" | "merger" | "division" | "dissolution" | "bankruptcy";

export type Verification = { 
/**
 * Every page of the file decrypted with the case's key and read, free pages included.
 */
pages_read: number, 
/**
 * `PRAGMA freelist_count` after the rebuild.
 */
free_pages: number, 
/**
 * Deleted phone and ID numbers looked for on every page, also those a remaining record still holds.
 */
canaries: number, 
/**
 * How many of them were found where no live row is (free pages, free space on a page) and no
 * remaining record holds them (0 when the destruction worked).
 */
canaries_found: number, 
/**
 * Size of the -wal file (`None`: absent).
 */
wal_bytes: number | null, 
/**
 * Size of the -journal file (`None`: absent).
 */
journal_bytes: number | null, 
/**
 * `PRAGMA cipher_integrity_check` found nothing.
 */
integrity_ok: boolean, 
/**
 * All of the above as they should be.
 */
passed: boolean, };

export type Weakness = "empty" | "too_short" | "too_guessable";

export type WrittenFile = { path: string, notice: NoticeKind, form: NoticeForm, sha256: string, bytes: number, 
/**
 * Customers in the file (letters, platform file); 0 for a text or a poster.
 */
customers: number, };

/** Every command the backend answers: its arguments (as `invoke` takes them) and its result. */
export type Commands = {
  app_info: { args: Record<string, never>; result: AppInfo };
  set_language: { args: { language: Lang }; result: null };
  recent_cases: { args: Record<string, never>; result: Array<RecentCase> };
  forget_recent_case: { args: { path: string }; result: null };
  check_passphrase: { args: { passphrase: string; context: Array<string> }; result: PassphraseCheck };
  create_case: { args: { request: NewCaseRequest }; result: CaseOverview };
  open_case: { args: { path: string; passphrase: string; onProgress: Channel<OpeningProgress> }; result: CaseOverview };
  close_case: { args: Record<string, never>; result: null };
  case_overview: { args: Record<string, never>; result: CaseOverview };
  update_case_details: { args: { details: CaseDetails }; result: CaseOverview };
  audit_log: { args: Record<string, never>; result: Array<AuditEntry> };
  verify_audit: { args: Record<string, never>; result: AuditReport };
  acknowledge_audit_break: { args: Record<string, never>; result: CaseOverview };
  case_facts: { args: Record<string, never>; result: CaseFacts };
  set_case_facts: { args: { facts: CaseFacts }; result: CaseFacts };
  preview_import: { args: { path: string; choices: ReadChoices }; result: ImportPreview };
  start_import: { args: { request: ImportRequest; onProgress: Channel<Progress> }; result: ImportSummary };
  cancel_import: { args: Record<string, never>; result: null };
  commit_import: { args: Record<string, never>; result: CaseOverview };
  discard_import: { args: Record<string, never>; result: CaseOverview };
  import_problems: { args: { sourceId: number }; result: Array<RowProblemReport> };
  export_import_problems: { args: { sourceId: number; target: number }; result: null };
  classification_summary: { args: Record<string, never>; result: ClassificationSummary };
  column_review: { args: { sourceId: number; colIndex: number }; result: ColumnReview };
  reclassify_column: { args: { sourceId: number; colIndex: number; field: FieldType }; result: ClassificationSummary };
  customer_page: { args: { filter: CustomerFilter; page: PageRequest }; result: CustomerPage };
  customer_count: { args: { filter: CustomerFilter }; result: number };
  set_mask_style: { args: { style: MaskStyle }; result: null };
  compute_plan: { args: { onProgress: Channel<Progress> }; result: PlanSummary };
  cancel_plan: { args: Record<string, never>; result: null };
  plan_summary: { args: Record<string, never>; result: PlanSummary | null };
  plan_page: { args: { query: PlanQuery }; result: PlanPage };
  explain_record: { args: { recordId: number }; result: RecordExplanation };
  set_override: { args: { request: OverrideRequest }; result: OverrideInfo };
  withdraw_override: { args: { overrideId: number; reason: string }; result: null };
  set_customer_status: { args: { customerId: number; change: StatusChange }; result: CustomerStatus };
  minimisation: { args: Record<string, never>; result: Minimisation };
  set_minimisation: { args: { fields: Array<FieldType> }; result: Minimisation };
  source_kinds: { args: Record<string, never>; result: Array<SourceKindInfo> };
  set_source_kind: { args: { sourceId: number; kind: SourceKind }; result: SourceKindInfo };
  wizard_review: { args: Record<string, never>; result: Review };
  wizard_steps: { args: Record<string, never>; result: Array<StepForCase> };
  set_item_state: { args: { itemId: string; itemState: ItemState; reason: string }; result: Review };
  set_item_note: { args: { itemId: string; note: string }; result: Review };
  attach_evidence: { args: { itemId: string; path: string }; result: Review };
  remove_evidence: { args: { evidenceId: number }; result: Review };
  export_evidence: { args: { evidenceId: number; target: number }; result: null };
  set_current_step: { args: { step: StepId }; result: StepId };
  register_source: { args: { source: SourceInput }; result: Review };
  update_source: { args: { sourceId: number; source: SourceInput }; result: Review };
  remove_source: { args: { sourceId: number }; result: Review };
  export_package: { args: { target: number }; result: ExportedPackage };
  pick_save_file: { args: { kind: SaveKind; title: string; suggestedName: string }; result: ChosenFile | null };
  receive_package: { args: { request: ReceiveRequest }; result: ReceivedCase };
  destruction_preview: { args: Record<string, never>; result: DestructionPreview };
  destroy_case: { args: { request: DestroyRequest }; result: DestructionReport };
  latest_certificate: { args: Record<string, never>; result: DestructionReport | null };
  save_certificate: { args: { target: number }; result: SavedDocument };
  backup_case: { args: { target: number; passphrase: string }; result: CopyReport };
  save_case_document: { args: { target: number; request: DocumentRequest }; result: SavedCaseDocument };
  notices_preview: { args: Record<string, never>; result: NoticesPreview };
  save_notice: { args: { target: number; notice: NoticeKind; form: NoticeForm }; result: WrittenFile };
  import_replies: { args: { path: string }; result: ReplyImport };
  operator: { args: Record<string, never>; result: string };
  set_operator: { args: { name: string }; result: null };
};
