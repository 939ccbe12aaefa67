//! Every IPC command, declared once. From the table at the bottom of this file come
//! - [`handler`], the `tauri::generate_handler!` the app registers,
//! - [`COMMANDS`], the list the tests walk (name, argument names and types, result type),
//! - the TypeScript map `Commands` in `ui/src/api/bindings.ts` (command → `{ args; result }`), through which
//!   `ui/src/api/api.ts` types every call,
//! - a compile-time check that each line matches its function: same argument types in the same order, same
//!   result. Argument names are the function's parameter names (Tauri passes them in camelCase); the IPC
//!   tests check them against the registered command.
//!
//! Adding a command: write the `#[tauri::command]` function (first parameter `State<'_, AppState>` or
//! `AppHandle<R>`, then its arguments, returning `CmdResult<T>`) and add one line to the table, e.g.
//! `decisions::plan_page(query: PlanQuery) -> PlanPage;`. Then `make bindings`.

use std::future::Future;
use std::marker::PhantomData;

use handover_core::audit::{AuditEntry, AuditReport};
use handover_core::backup::CopyReport;
use handover_core::case::{CaseDetails, CaseFacts};
use handover_core::classification::{ClassificationSummary, ColumnReview};
use handover_core::config::RecentCase;
use handover_core::customer_table::{CustomerFilter, CustomerPage, PageRequest};
use handover_core::destruction::{DestructionPreview, DestructionReport};
use handover_core::detect::mask::MaskStyle;
use handover_core::field::FieldType;
use handover_core::notices::generate::{NoticesPreview, WrittenFile};
use handover_core::notices::kinds::{NoticeForm, NoticeKind};
use handover_core::notices::replies::ReplyImport;
use handover_core::passphrase::PassphraseCheck;
use handover_core::records::import_file::{ImportPreview, ImportRequest, ReadChoices};
use handover_core::records::ingest::RowProblemReport;
use handover_core::records::{ImportSummary, Progress};
use handover_core::rules::plan::{PlanPage, PlanQuery, PlanSummary, RecordExplanation};
use handover_core::rules::status::{
    CustomerStatus, Minimisation, OverrideInfo, OverrideRequest, SourceKindInfo, StatusChange,
};
use handover_core::rules::SourceKind;
use handover_core::store::{CaseOverview, OpeningProgress};
use handover_core::wizard::inventory::SourceInput;
use handover_core::wizard::state::{ItemState, Review};
use handover_core::wizard::{StepForCase, StepId};
use handover_core::Lang;

use crate::files::{ChosenFile, SaveKind};
use tauri::ipc::{Channel, Invoke};
use tauri::{AppHandle, Runtime, State};
use ts_rs::{Config, TypeVisitor, TS};

use crate::commands::{AppInfo, CmdResult, NewCaseRequest};
use crate::destruction::DestroyRequest;
use crate::documents::{DocumentRequest, SavedCaseDocument, SavedDocument};
use crate::package::{ExportedPackage, ReceiveRequest, ReceivedCase};
use crate::state::AppState;
use crate::{commands, customers, decisions, destruction, documents, files, package, review};

/// One command as the frontend sees it.
#[derive(Debug)]
pub struct Command {
    /// The name `invoke` takes, e.g. `open_case`.
    pub name: &'static str,
    pub args: &'static [Arg],
    /// What the command returns when it succeeds (it fails with an `ErrorPayload`).
    pub result: TsType,
}

/// An argument of a command: its parameter name in Rust (snake_case) and its type.
#[derive(Debug)]
pub struct Arg {
    pub name: &'static str,
    pub ty: TsType,
}

impl Arg {
    /// The key the frontend passes it under: Tauri turns `source_id` into `sourceId`.
    pub fn key(&self) -> String {
        let mut key = String::with_capacity(self.name.len());
        let mut upper = false;
        for c in self.name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                key.extend(c.to_uppercase());
                upper = false;
            } else {
                key.push(c);
            }
        }
        key
    }
}

/// A Rust type that crosses IPC, seen from TypeScript.
#[derive(Clone, Copy)]
pub struct TsType {
    /// Its TypeScript name, e.g. `Array<RecentCase>` or `Channel<Progress>`.
    pub name: fn(&Config) -> String,
    /// Visits the type itself and every type it names, for the bindings' declarations.
    pub visit: fn(&mut dyn FnMut(Visit)),
}

impl std::fmt::Debug for TsType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.name)(&Config::new()))
    }
}

/// Declares a type for TypeScript: its name and its `export type …` declaration.
pub type Declare = fn(&Config) -> (String, String);

/// One Rust type reached while visiting: what the bindings need to declare it.
#[derive(Debug)]
pub struct Visit {
    pub type_id: std::any::TypeId,
    /// The Rust type (without generic arguments), to name two types that would share a TypeScript name.
    pub rust_name: &'static str,
    /// `None` for types TypeScript has built in (`string`, `Array<…>`, `… | null`).
    pub declaration: Option<Declare>,
}

/// Walks a type and everything it names, calling `f` once per type (cycles are cut by `seen`).
pub(crate) struct Walker<'a> {
    f: &'a mut dyn FnMut(Visit),
    seen: std::collections::HashSet<std::any::TypeId>,
}

impl TypeVisitor for Walker<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(std::any::TypeId::of::<T>()) {
            return;
        }
        fn declaration<T: TS + ?Sized>(cfg: &Config) -> (String, String) {
            (T::ident(cfg), format!("export {}", T::decl(cfg)))
        }
        (self.f)(Visit {
            type_id: std::any::TypeId::of::<T>(),
            rust_name: std::any::type_name::<T::WithoutGenerics>(),
            declaration: T::output_path()
                .map(|_| declaration::<T> as fn(&Config) -> (String, String)),
        });
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// Visits `T` and everything it names.
pub(crate) fn walk<T: TS + 'static + ?Sized>(f: &mut dyn FnMut(Visit)) {
    Walker {
        f,
        seen: Default::default(),
    }
    .visit::<T>();
}

// How the table turns a Rust type into a `TsType`. A `Channel<T>` argument (progress reports) is
// `Channel<T>` in TypeScript too; every other type is what ts-rs makes of it. (Dispatch by autoref: the
// `Channel` impl is found first when it applies.)
#[doc(hidden)]
#[derive(Debug)]
pub struct Ty<T>(PhantomData<T>);

impl<T> Ty<T> {
    #[doc(hidden)]
    pub const NEW: Ty<T> = Ty(PhantomData);
}

#[doc(hidden)]
pub trait ChannelType {
    fn ts_name(&self, cfg: &Config) -> String;
    fn ts_visit(&self, f: &mut dyn FnMut(Visit));
}

impl<T: TS + 'static> ChannelType for Ty<Channel<T>> {
    fn ts_name(&self, cfg: &Config) -> String {
        format!("Channel<{}>", T::name(cfg))
    }
    fn ts_visit(&self, f: &mut dyn FnMut(Visit)) {
        walk::<T>(f)
    }
}

#[doc(hidden)]
pub trait PlainType {
    fn ts_name(&self, cfg: &Config) -> String;
    fn ts_visit(&self, f: &mut dyn FnMut(Visit));
}

impl<T: TS + 'static> PlainType for &Ty<T> {
    fn ts_name(&self, cfg: &Config) -> String {
        T::name(cfg)
    }
    fn ts_visit(&self, f: &mut dyn FnMut(Visit)) {
        walk::<T>(f)
    }
}

/// What Tauri hands a command before its arguments: the app state or the app handle.
trait Injected {}
impl Injected for State<'static, AppState> {}
impl Injected for AppHandle<tauri::Wry> {}

macro_rules! ts_type {
    ($ty:ty) => {
        TsType {
            name: |cfg| (&Ty::<$ty>::NEW).ts_name(cfg),
            visit: |f| (&Ty::<$ty>::NEW).ts_visit(f),
        }
    };
}

macro_rules! commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ;)*) => {
        /// The handler the app registers: every command of the table.
        pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$name),*]
        }

        /// Every command the frontend may call, in the table's order.
        pub const COMMANDS: &[Command] = &[$(Command {
            name: stringify!($name),
            args: &[$(Arg { name: stringify!($arg), ty: ts_type!($ty) }),*],
            result: ts_type!($ret),
        }),*];

        /// Fails to compile when a line of the table and its function disagree on the argument types,
        /// their order or the result.
        #[allow(dead_code)]
        fn signatures_match() {
            $({
                fn check<I: Injected, F: Future<Output = CmdResult<$ret>>>(
                    _: impl Fn(I $(, $ty)*) -> F,
                ) {
                }
                check($module::$name);
            })*
        }
    };
}

commands! {
    // The app and the case file.
    commands::app_info() -> AppInfo;
    commands::set_language(language: Lang) -> ();
    commands::recent_cases() -> Vec<RecentCase>;
    commands::forget_recent_case(path: String) -> ();
    commands::check_passphrase(passphrase: String, context: Vec<String>) -> PassphraseCheck;
    commands::create_case(request: NewCaseRequest) -> CaseOverview;
    commands::open_case(path: String, passphrase: String, on_progress: Channel<OpeningProgress>) -> CaseOverview;
    commands::close_case() -> ();
    commands::case_overview() -> CaseOverview;
    commands::update_case_details(details: CaseDetails) -> CaseOverview;
    commands::audit_log() -> Vec<AuditEntry>;
    commands::verify_audit() -> AuditReport;
    commands::acknowledge_audit_break() -> CaseOverview;
    commands::case_facts() -> CaseFacts;
    commands::set_case_facts(facts: CaseFacts) -> CaseFacts;
    // Importing files.
    commands::preview_import(path: String, choices: ReadChoices) -> ImportPreview;
    commands::start_import(request: ImportRequest, on_progress: Channel<Progress>) -> ImportSummary;
    commands::cancel_import() -> ();
    commands::commit_import() -> CaseOverview;
    commands::discard_import() -> CaseOverview;
    commands::import_problems(source_id: i64) -> Vec<RowProblemReport>;
    commands::export_import_problems(source_id: i64, target: u64) -> ();
    // Classification and the customer table.
    review::classification_summary() -> ClassificationSummary;
    review::column_review(source_id: i64, col_index: u32) -> ColumnReview;
    review::reclassify_column(source_id: i64, col_index: u32, field: FieldType) -> ClassificationSummary;
    customers::customer_page(filter: CustomerFilter, page: PageRequest) -> CustomerPage;
    customers::customer_count(filter: CustomerFilter) -> u64;
    review::set_mask_style(style: MaskStyle) -> ();
    // The plan and the decisions.
    decisions::compute_plan(on_progress: Channel<Progress>) -> PlanSummary;
    decisions::cancel_plan() -> ();
    decisions::plan_summary() -> Option<PlanSummary>;
    decisions::plan_page(query: PlanQuery) -> PlanPage;
    decisions::explain_record(record_id: i64) -> RecordExplanation;
    decisions::set_override(request: OverrideRequest) -> OverrideInfo;
    decisions::withdraw_override(override_id: i64, reason: String) -> ();
    decisions::set_customer_status(customer_id: i64, change: StatusChange) -> CustomerStatus;
    decisions::minimisation() -> Minimisation;
    decisions::set_minimisation(fields: Vec<FieldType>) -> Minimisation;
    decisions::source_kinds() -> Vec<SourceKindInfo>;
    decisions::set_source_kind(source_id: i64, kind: SourceKind) -> SourceKindInfo;
    // The guided wizard: each change returns the whole review.
    commands::wizard_review() -> Review;
    commands::wizard_steps() -> Vec<StepForCase>;
    commands::set_item_state(item_id: String, item_state: ItemState, reason: String) -> Review;
    commands::set_item_note(item_id: String, note: String) -> Review;
    commands::attach_evidence(item_id: String, path: String) -> Review;
    commands::remove_evidence(evidence_id: i64) -> Review;
    commands::export_evidence(evidence_id: i64, target: u64) -> ();
    commands::set_current_step(step: StepId) -> StepId;
    commands::register_source(source: SourceInput) -> Review;
    commands::update_source(source_id: i64, source: SourceInput) -> Review;
    commands::remove_source(source_id: i64) -> Review;
    // The recipient's package: hand over (export) and receive.
    package::export_package(target: u64) -> ExportedPackage;
    // Where to save: the shell shows the save dialog and keeps the place (files.rs).
    files::pick_save_file(kind: SaveKind, title: String, suggested_name: String) -> Option<ChosenFile>;
    package::receive_package(request: ReceiveRequest) -> ReceivedCase;
    // Destruction: what it would do, carrying it out, the certificate; backups.
    destruction::destruction_preview() -> DestructionPreview;
    destruction::destroy_case(request: DestroyRequest) -> DestructionReport;
    destruction::latest_certificate() -> Option<DestructionReport>;
    destruction::save_certificate(target: u64) -> SavedDocument;
    destruction::backup_case(target: u64, passphrase: String) -> CopyReport;
    // The papers: summary, agreement, assessment; the notices and the customers' replies; the operator.
    documents::save_case_document(target: u64, request: DocumentRequest) -> SavedCaseDocument;
    documents::notices_preview() -> NoticesPreview;
    documents::save_notice(target: u64, notice: NoticeKind, form: NoticeForm) -> WrittenFile;
    documents::import_replies(path: String) -> ReplyImport;
    documents::operator() -> String;
    documents::set_operator(name: String) -> ();
}

/// The TypeScript map from command name to its arguments and result, for `ui/src/api/bindings.ts`.
pub fn typescript_map(cfg: &Config) -> String {
    let mut out = String::from(
        "/** Every command the backend answers: its arguments (as `invoke` takes them) and its result. */\n\
         export type Commands = {\n",
    );
    for c in COMMANDS {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> = c
                .args
                .iter()
                .map(|a| format!("{}: {}", a.key(), (a.ty.name)(cfg)))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }};\n",
            c.name,
            (c.result.name)(cfg)
        ));
    }
    out.push_str("};\n");
    out
}
