//! Errors of the core, each with a stable machine code and a message in the owner's language.
//!
//! The code is part of the product interface (the UI and `--json` output rely on it); the message is for
//! people and may be reworded.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error_code::ErrorCode;
use crate::i18n::Lang;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong passphrase for {0}")]
    WrongPassphrase(PathBuf),
    #[error("{0} is not a Handover case file ({1})")]
    NotACase(PathBuf, &'static str),
    #[error("{0} is damaged: {1}")]
    Corrupted(PathBuf, String),
    #[error(
        "{path} was written by a newer Handover (schema {found}, this app knows up to {known})"
    )]
    NewerVersion {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("{0} does not exist")]
    FileNotFound(PathBuf),
    #[error("{0} already exists")]
    FileExists(PathBuf),
    #[error("the case file {0} is in use by another program")]
    Busy(PathBuf),
    #[error("no passphrase given and no terminal to ask on")]
    NoPassphrase,
    #[error("the two passphrases differ")]
    PassphraseMismatch,
    #[error("passphrase too weak")]
    WeakPassphrase(crate::passphrase::Weakness),
    #[error("invalid case details: {0:?}")]
    InvalidDetails(Vec<crate::case::DetailProblem>),
    #[error("no case is open")]
    NoCaseOpen,
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("cancelled by the owner")]
    Cancelled,
    #[error("{file} was already imported on {imported_at}")]
    DuplicateImport {
        file: String,
        previous_label: String,
        imported_at: String,
    },
    /// A file that cannot be imported as a table (binary, empty, header only…); `code` is the reader's.
    #[error("{file} cannot be imported: {message}")]
    Import {
        file: String,
        code: &'static str,
        message: String,
    },
    #[error("an import is waiting to be committed or discarded")]
    ImportPending,
    /// A rulebook request that cannot be carried out (missing reason, unacknowledged override, unknown id…).
    #[error("{0:?}")]
    Rules(crate::rules::status::RulesError),
    #[error("no checklist item {0}")]
    UnknownItem(String),
    /// The item's state follows the case details; only they change it.
    #[error("checklist item {0} is answered by the case details")]
    ItemFromCaseDetails(String),
    #[error("marking an item as not applicable needs a reason")]
    ReasonRequired,
    #[error("{file} is {size} bytes, more than the {max} an evidence file may have")]
    EvidenceTooLarge { file: String, size: u64, max: u64 },
    /// A text the owner entered is longer than the field allows (`field` names it for the UI).
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: &'static str, max: usize },
    /// A required text the owner left empty (`field` names it for the UI).
    #[error("{field} is required")]
    TextRequired { field: &'static str },
    /// An evidence file or registered source that no longer exists (removed in another window).
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::Internal(format!("JSON: {e}"))
    }
}

/// What crosses to the UI and into `--json` output: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            Error::NotACase(..) => ErrorCode::NotACase,
            Error::Corrupted(..) => ErrorCode::Corrupted,
            Error::NewerVersion { .. } => ErrorCode::NewerVersion,
            Error::FileNotFound(_) => ErrorCode::FileNotFound,
            Error::FileExists(_) => ErrorCode::FileExists,
            Error::Busy(_) => ErrorCode::Busy,
            Error::NoPassphrase => ErrorCode::NoPassphrase,
            Error::PassphraseMismatch => ErrorCode::PassphraseMismatch,
            Error::WeakPassphrase(_) => ErrorCode::WeakPassphrase,
            Error::InvalidDetails(_) => ErrorCode::InvalidDetails,
            Error::NoCaseOpen => ErrorCode::NoCaseOpen,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database(_) => ErrorCode::Database,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::DuplicateImport { .. } => ErrorCode::DuplicateImport,
            Error::Import { .. } => ErrorCode::ImportRefused,
            Error::ImportPending => ErrorCode::ImportPending,
            Error::Rules(e) => e.code(),
            Error::UnknownItem(_) => ErrorCode::UnknownItem,
            Error::ItemFromCaseDetails(_) => ErrorCode::ItemFromCaseDetails,
            Error::ReasonRequired => ErrorCode::ReasonRequired,
            Error::EvidenceTooLarge { .. } => ErrorCode::EvidenceTooLarge,
            Error::TextTooLong { .. } => ErrorCode::TextTooLong,
            Error::TextRequired { .. } => ErrorCode::TextRequired,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The message for a non-technical owner, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            Error::WrongPassphrase(p) => if zh {
                format!("密码不正确，无法打开“{}”。请检查大小写和输入法后重试。", p.display())
            } else {
                format!("The passphrase is wrong, so “{}” cannot be opened. Check letter case and input method, then try again.", p.display())
            },
            Error::NotACase(p, why) => if zh {
                format!("“{}”不是交接案件文件（{}）。请选择以 .handover 结尾、由本软件创建的文件。", p.display(), not_a_case_reason(why, lang))
            } else {
                format!("“{}” is not a Handover case file ({}). Choose a .handover file created by this app.", p.display(), not_a_case_reason(why, lang))
            },
            Error::Corrupted(p, detail) => if zh {
                format!("案件文件“{}”已损坏，无法可靠读取（{}）。请使用备份副本。", p.display(), detail)
            } else {
                format!("The case file “{}” is damaged and cannot be read reliably ({}). Please use a backup copy.", p.display(), detail)
            },
            Error::NewerVersion { path, found, known } => if zh {
                format!("“{}”由更新版本的本软件创建（数据格式 {}，本软件最高支持 {}）。请先升级软件再打开，以免丢失数据。", path.display(), found, known)
            } else {
                format!("“{}” was created by a newer version of this app (data format {}, this app supports up to {}). Update the app before opening it, so nothing is lost.", path.display(), found, known)
            },
            Error::FileNotFound(p) => if zh {
                format!("找不到文件“{}”。它可能已被移动或删除。", p.display())
            } else {
                format!("The file “{}” cannot be found. It may have been moved or deleted.", p.display())
            },
            Error::FileExists(p) => if zh {
                format!("“{}”已存在。为避免覆盖，请换一个案件名称或位置。", p.display())
            } else {
                format!("“{}” already exists. To avoid overwriting it, choose another case name or folder.", p.display())
            },
            Error::Busy(p) => if zh {
                format!("案件文件“{}”正被另一个程序使用。请关闭其他窗口后重试。", p.display())
            } else {
                format!("The case file “{}” is in use by another program. Close the other window and try again.", p.display())
            },
            Error::NoPassphrase => lang
                .pick(
                    "没有提供密码：请在环境变量 HANDOVER_PASSPHRASE 中设置，或在终端中运行以便输入。",
                    "No passphrase: set the HANDOVER_PASSPHRASE environment variable, or run this in a terminal to type it.",
                )
                .to_string(),
            Error::PassphraseMismatch => {
                lang.pick("两次输入的密码不一致，请重新输入。", "The two passphrases differ; please enter them again.").to_string()
            }
            Error::WeakPassphrase(w) => w.message(lang),
            Error::InvalidDetails(problems) => {
                let list: Vec<String> = problems.iter().map(|p| p.message(lang)).collect();
                if zh { format!("案件信息需要修改：{}", list.join("；")) } else { format!("Please correct the case details: {}", list.join("; ")) }
            }
            Error::NoCaseOpen => lang.pick("当前没有打开的案件。", "No case is open.").to_string(),
            Error::Io { path, source } => if zh {
                format!("读写“{}”时出错：{}", path.display(), source)
            } else {
                format!("Could not read or write “{}”: {}", path.display(), source)
            },
            Error::Database(e) => if zh { format!("案件文件读写出错：{e}") } else { format!("Error reading or writing the case file: {e}") },
            Error::Cancelled => lang
                .pick("已取消，案件没有任何改动。", "Cancelled; nothing in the case was changed.")
                .to_string(),
            Error::DuplicateImport { file, previous_label, imported_at } => if zh {
                format!("“{file}”的内容已在 {imported_at} 导入过（来源“{previous_label}”）。再次导入会产生重复记录；如确实需要，请确认后再导入。")
            } else {
                format!("The contents of “{file}” were already imported on {imported_at} (source “{previous_label}”). Importing again would duplicate the records; confirm if you really want that.")
            },
            Error::Import { file, message, .. } => if zh {
                format!("无法导入“{file}”：{message}")
            } else {
                format!("“{file}” cannot be imported: {message}")
            },
            Error::ImportPending => lang
                .pick("有一次导入尚未确认：请先确认导入或放弃导入。", "An import is waiting: commit it or discard it first.")
                .to_string(),
            Error::Rules(e) => e.message(lang),
            Error::UnknownItem(id) => if zh {
                format!("找不到检查项“{id}”。请重新打开案件后再试。")
            } else {
                format!("There is no checklist item “{id}”. Reopen the case and try again.")
            },
            Error::ItemFromCaseDetails(_) => lang
                .pick("这一项按案件信息自动勾选，不能手动更改。请修改案件信息。", "This item is ticked from the case details and cannot be changed by hand. Edit the case details instead.")
                .to_string(),
            Error::ReasonRequired => lang
                .pick("标为“不适用”时，请写一句为什么不适用。", "When you mark an item as not applicable, write a sentence on why.")
                .to_string(),
            Error::EvidenceTooLarge { file, size, max } => if zh {
                format!("“{file}”有 {} MB，超过了凭证文件 {} MB 的上限。请拍照或扫描成较小的文件再附上。", size / 1_048_576, max / 1_048_576)
            } else {
                format!("“{file}” is {} MB, more than the {} MB an evidence file may have. Photograph or scan it into a smaller file and attach that.", size / 1_048_576, max / 1_048_576)
            },
            Error::TextTooLong { max, .. } => if zh {
                format!("内容太长（最多 {max} 个字），请精简。")
            } else {
                format!("This text is too long (at most {max} characters); please shorten it.")
            },
            Error::TextRequired { .. } => lang.pick("这一项必须填写。", "This must be filled in.").to_string(),
            Error::NotFound(_) => lang
                .pick("要找的内容已经不在了，可能刚被删除。页面已刷新。", "What you were looking for is no longer there; it may have just been removed.")
                .to_string(),
            Error::Internal(e) => if zh { format!("程序内部错误：{e}。您的数据没有改动。") } else { format!("Internal error: {e}. Your data was not changed.") },
        }
    }

    pub fn payload(&self, lang: Lang) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.message(lang),
        }
    }
}

fn not_a_case_reason(why: &str, lang: Lang) -> &'static str {
    match why {
        "empty" => lang.pick("文件是空的", "the file is empty"),
        "plain-sqlite" => lang.pick(
            "这是一个未加密的普通数据库",
            "it is an ordinary, unencrypted database",
        ),
        "text" => lang.pick("这是一个文本文件", "it is a text file"),
        "known-format" => lang.pick(
            "这是其他格式的文件，如表格、压缩包或文档",
            "it is another kind of file, such as a spreadsheet, archive or document",
        ),
        "foreign-database" => lang.pick(
            "这是其他软件的加密数据库",
            "it is another program's encrypted database",
        ),
        "directory" => lang.pick("这是一个文件夹", "it is a folder"),
        _ => lang.pick("文件结构不符", "its structure does not match"),
    }
}
