//! The CLI's own words: the labels of what it prints and its prompts, one exhaustive `match` per language
//! (a new word does not compile until it has both). Messages of the core (errors, labels of fields and
//! outcomes) come from `handover_core::i18n`.

use handover_core::Lang;

/// A label or a fixed sentence of the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    // `handover import`
    File,
    Encoding,
    Delimiter,
    HeaderRow,
    Sheet,
    Columns,
    Imported,
    Flagged,
    Rejected,
    NewCustomers,
    MoreProblems,
    Rows,
    // `handover status`
    PiiCells,
    InsideFreeText,
    CustomersByCategory,
    SensitiveCustomers,
    MinorCustomers,
    CountedOn,
    NotGiven,
    CaseFile,
    Business,
    Reason,
    Seller,
    SellerContact,
    ResponsiblePerson,
    Recipient,
    RecipientContact,
    HandoverDate,
    SourcesCustomersRecords,
    AuditEntries,
    AuditHead,
    AuditBroken,
    StillToDo,
    // `handover plan` and `handover set`
    Records,
    ByRule,
    ExposureCheck,
    DefaultMinimisation,
    Consent,
    GuardianConsent,
    Objection,
    DeletionRequest,
    Refunded,
    Deceased,
    ConsentWithdrawn,
    // `handover facts`
    LegalForm,
    PurposeChange,
    CrossBorder,
    CrossBorderMechanism,
    ListPrice,
    AnswerYes,
    AnswerNo,
    NotAnswered,
    Yes,
    No,
    // Passphrase prompts
    CasePassphrase,
    NewCasePassphraseIntro,
    NewPassphrase,
    RepeatPassphrase,
    // `handover export` and `handover receive`
    PackagePassphrase,
    NewReceivedCasePassphraseIntro,
    // `handover destroy`, `receipt`, `paper`, `returns`, `backup`, `restore`
    CertificateReference,
    DeletedRecords,
    DeletedTransferredCopies,
    DeletedCustomers,
    StrippedRecords,
    PagesFreeCanaries,
    VerificationPassed,
    VerificationFailed,
    BackupsStillHoldData,
    ReceiptRecorded,
    Destroyed,
    Witness,
    StillToDestroy,
    Uncollected,
    Entrusted,
    BackupWritten,
    RestoredTo,
    // `handover summary`
    DocumentFailed,
    TemplateSha256,
}

impl Word {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => zh(self),
            Lang::En => en(self),
        }
    }
}

fn zh(w: Word) -> &'static str {
    match w {
        Word::File => "文件",
        Word::Encoding => "编码",
        Word::Delimiter => "分隔符",
        Word::HeaderRow => "表头行",
        Word::Sheet => "工作表",
        Word::Columns => "列对应",
        Word::Imported => "已导入",
        Word::Flagged => "有疑问（已导入并标记）",
        Word::Rejected => "未导入",
        Word::NewCustomers => "新客户",
        Word::MoreProblems => "条更多问题",
        Word::Rows => "行",
        Word::PiiCells => "个人信息（单元格数）：",
        Word::InsideFreeText => "处在备注等自由文本中",
        Word::CustomersByCategory => "含基本 / 交易 / 偏好信息的客户",
        Word::SensitiveCustomers => "含敏感个人信息的客户",
        Word::MinorCustomers => "不满十四周岁的客户",
        Word::CountedOn => "计算日",
        Word::NotGiven => "（未填写）",
        Word::Deceased => "已去世",
        Word::ConsentWithdrawn => "早先撤回了同意",
        Word::LegalForm => "经营主体类型",
        Word::PurposeChange => "接收方改变用途或方式",
        Word::CrossBorder => "接收方或服务器在境外",
        Word::CrossBorderMechanism => "出境条件",
        Word::ListPrice => "客户名单售价",
        Word::CaseFile => "案件文件",
        Word::Business => "业务类型",
        Word::Reason => "交接原因",
        Word::Seller => "转让方",
        Word::SellerContact => "转让方联系方式",
        Word::ResponsiblePerson => "信息负责人",
        Word::Recipient => "接收方",
        Word::RecipientContact => "接收方联系方式",
        Word::HandoverDate => "计划交接日期",
        Word::SourcesCustomersRecords => "来源 / 客户 / 记录",
        Word::AuditEntries => "审计日志条数",
        Word::AuditHead => "审计日志末条哈希（请抄在纸面文件上）",
        Word::AuditBroken => "审计日志校验失败：",
        Word::StillToDo => "待完成：",
        Word::Records => "条",
        Word::ByRule => "按规则：",
        Word::ExposureCheck => "风险检查：",
        Word::DefaultMinimisation => "提示：尚未选择接收方需要的字段，暂按默认（姓名、电话、会员号、余额、积分、最近消费）移交。",
        Word::Consent => "单独同意",
        Word::GuardianConsent => "监护人同意",
        Word::Objection => "反对移交",
        Word::DeletionRequest => "要求删除",
        Word::Refunded => "已退款",
        Word::AnswerYes => "同意",
        Word::AnswerNo => "不同意",
        Word::NotAnswered => "未答复",
        Word::Yes => "是",
        Word::No => "否",
        Word::CasePassphrase => "案件密码：",
        Word::NewCasePassphraseIntro => {
            "请为新案件设置密码。忘记密码将无法找回，案件文件也将无法打开。"
        }
        Word::NewPassphrase => "设置密码：",
        Word::RepeatPassphrase => "再次输入密码：",
        Word::PackagePassphrase => "交接包密码（转让方告诉您的）：",
        Word::NewReceivedCasePassphraseIntro => "交接包检查无误。请为您自己的新案件设置密码（不是交接包的密码）。密码忘记后无法找回。",
        Word::CertificateReference => "销毁证明编号",
        Word::DeletedRecords => "已删除记录",
        Word::DeletedTransferredCopies => "已删除的已移交记录副本",
        Word::DeletedCustomers => "已删除客户",
        Word::StrippedRecords => "已去除多余字段的记录",
        Word::PagesFreeCanaries => "核查：读取页数 / 空闲页 / 检查的已删号码",
        Word::VerificationPassed => "核查通过：案件文件中找不到任何已删除的号码，日志文件为空。",
        Word::VerificationFailed => "核查未通过：案件文件中仍能找到已删除的内容，请勿签署销毁证明。",
        Word::BackupsStillHoldData => "以下备份是销毁之前做的，仍含有已删除的数据，请一并删除：",
        Word::ReceiptRecorded => "已记录接收方签收",
        Word::Destroyed => "已销毁",
        Word::Witness => "见证人",
        Word::StillToDestroy => "待销毁并确认",
        Word::Uncollected => "未取件包裹",
        Word::Entrusted => "委托处理记录",
        Word::BackupWritten => "备份已写入并核对",
        Word::RestoredTo => "已从备份恢复为新案件",
        Word::DocumentFailed => "无法生成文件",
        Word::TemplateSha256 => "模板 SHA-256",
    }
}

fn en(w: Word) -> &'static str {
    match w {
        Word::File => "File",
        Word::Encoding => "Encoding",
        Word::Delimiter => "Delimiter",
        Word::HeaderRow => "Header row",
        Word::Sheet => "Sheet",
        Word::Columns => "Columns",
        Word::Imported => "Imported",
        Word::Flagged => "Flagged (imported)",
        Word::Rejected => "Rejected",
        Word::NewCustomers => "New customers",
        Word::MoreProblems => "more problems",
        Word::Rows => "rows",
        Word::PiiCells => "Personal information (cells):",
        Word::InsideFreeText => "inside free text",
        Word::CustomersByCategory => "Customers with basic / transaction / preference information",
        Word::SensitiveCustomers => "Customers with sensitive information",
        Word::MinorCustomers => "Customers under 14",
        Word::CountedOn => "counted on",
        Word::NotGiven => "(not given)",
        Word::Deceased => "Has died",
        Word::ConsentWithdrawn => "Withdrew consent earlier",
        Word::LegalForm => "Legal form",
        Word::PurposeChange => "Recipient changes the purpose or method",
        Word::CrossBorder => "Recipient or servers abroad",
        Word::CrossBorderMechanism => "Transfer mechanism abroad",
        Word::ListPrice => "Price of the list",
        Word::CaseFile => "Case file",
        Word::Business => "Business",
        Word::Reason => "Reason",
        Word::Seller => "Seller",
        Word::SellerContact => "Seller contact",
        Word::ResponsiblePerson => "Responsible person",
        Word::Recipient => "Recipient",
        Word::RecipientContact => "Recipient contact",
        Word::HandoverDate => "Handover date",
        Word::SourcesCustomersRecords => "Sources / customers / records",
        Word::AuditEntries => "Audit entries",
        Word::AuditHead => "Audit log head hash (copy it onto paper)",
        Word::AuditBroken => "Audit log check FAILED:",
        Word::StillToDo => "Still to do:",
        Word::Records => "records",
        Word::ByRule => "By rule:",
        Word::ExposureCheck => "Exposure check: ",
        Word::DefaultMinimisation => "Note: the fields the recipient needs were not chosen yet; the default applies (name, phones, member number, balance, points, last activity).",
        Word::Consent => "Consent",
        Word::GuardianConsent => "Guardian consent",
        Word::Objection => "Objection",
        Word::DeletionRequest => "Deletion request",
        Word::Refunded => "Refunded",
        Word::AnswerYes => "yes",
        Word::AnswerNo => "no",
        Word::NotAnswered => "not answered",
        Word::Yes => "yes",
        Word::No => "no",
        Word::CasePassphrase => "Case passphrase: ",
        Word::NewCasePassphraseIntro => "Set a passphrase for the new case. A forgotten passphrase cannot be recovered, and the case file could not be opened.",
        Word::NewPassphrase => "Passphrase: ",
        Word::RepeatPassphrase => "Repeat passphrase: ",
        Word::PackagePassphrase => "Package passphrase (from the seller): ",
        Word::NewReceivedCasePassphraseIntro => "The package checks out. Set a passphrase for your own new case (not the package's). A forgotten passphrase cannot be recovered.",
        Word::CertificateReference => "Certificate reference",
        Word::DeletedRecords => "Records deleted",
        Word::DeletedTransferredCopies => "Seller copies of transferred records deleted",
        Word::DeletedCustomers => "Customers deleted",
        Word::StrippedRecords => "Records with fields removed",
        Word::PagesFreeCanaries => "Verification: pages read / free pages / deleted numbers looked for",
        Word::VerificationPassed => "Verification passed: none of the deleted numbers is anywhere in the case file, and its log files are empty.",
        Word::VerificationFailed => "Verification FAILED: deleted values are still in the case file. Do not sign the certificate.",
        Word::BackupsStillHoldData => "These backups were made before the destruction and still hold the deleted data; delete them too:",
        Word::ReceiptRecorded => "Receipt recorded",
        Word::Destroyed => "destroyed",
        Word::Witness => "witness",
        Word::StillToDestroy => "still to destroy and confirm",
        Word::Uncollected => "uncollected parcels",
        Word::Entrusted => "entrusted records",
        Word::BackupWritten => "Backup written and checked",
        Word::RestoredTo => "Restored into a new case",
        Word::DocumentFailed => "The document could not be made",
        Word::TemplateSha256 => "Template SHA-256",
    }
}

/// A printed line with values in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// One import problem: the row, ` “header”` or nothing, the reason.
    Problem {
        row: u64,
        column: &'a str,
        reason: &'a str,
    },
    /// A minor found by an ID number in a note: where, the note masked, the age.
    MinorInNote {
        source: &'a str,
        row: u64,
        header: &'a str,
        note: &'a str,
        age: u32,
    },
    PlanHeading {
        handover_date: &'a str,
        records: u64,
    },
    Prepaid {
        total: &'a str,
        customers: u64,
        refunded: &'a str,
    },
    HoldNotices(u64),
    RecordedFor(i64),
    /// An override was recorded: its number and the outcome's name.
    OverrideSet {
        id: i64,
        outcome: &'a str,
    },
    OverrideWithdrawn(i64),
    /// `handover export`: what was written, and the passphrase shown once.
    Exported {
        path: &'a str,
        customers: u64,
        records: u64,
        prepaid_total: &'a str,
        sha256: &'a str,
    },
    PassphraseOnce(&'a str),
    /// `handover receive`: the new case and what it holds.
    Received {
        path: &'a str,
        seller: &'a str,
        customers: u64,
        records: u64,
        prepaid_total: &'a str,
        sha256: &'a str,
    },
    /// `handover notices`: one notice, its customers and its SMS length.
    Notice {
        title: &'a str,
        customers: u64,
        with_phone: u64,
        units: u32,
        parts: u32,
        declared: u32,
    },
    Written {
        path: &'a str,
        sha256: &'a str,
    },
    /// `handover replies`: what a file or the given replies did.
    Replies {
        rows: u64,
        changed: u64,
        unchanged: u64,
        unknown_customer: u64,
        unknown_status: u64,
    },
    /// The summary came out as a draft: this many blocking items are open.
    SummaryDraft(u64),
    /// The documents' font is missing.
    FontMissing {
        font: &'a str,
        package: &'a str,
        detail: &'a str,
    },
}

impl Line<'_> {
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => line_zh(self),
            Lang::En => line_en(self),
        }
    }
}

fn line_zh(l: &Line<'_>) -> String {
    match l {
        Line::Problem {
            row,
            column,
            reason,
        } => format!("    第 {row} 行{column}：{reason}"),
        Line::MinorInNote {
            source,
            row,
            header,
            note,
            age,
        } => format!("{source} 第 {row} 行“{header}”里的身份证号显示 {age} 岁：{note}"),
        Line::PlanHeading {
            handover_date,
            records,
        } => format!("交接计划（交接日 {handover_date}，共 {records} 条记录）"),
        Line::Prepaid {
            total,
            customers,
            refunded,
        } => format!("储值余额合计：{total} 元（{customers} 位客户，已退 {refunded} 元）"),
        Line::HoldNotices(n) => format!("有 {n} 条要求删除的记录依法只能留存，需要告知客户。"),
        Line::RecordedFor(id) => format!("客户 {id} 已记录："),
        Line::OverrideSet { id, outcome } => {
            format!("已记录第 {id} 号人工调整：处置改为“{outcome}”。交接计划已按此更新。")
        }
        Line::OverrideWithdrawn(id) => format!("第 {id} 号人工调整已撤回，恢复按规则处置。"),
        Line::Exported {
            path,
            customers,
            records,
            prepaid_total,
            sha256,
        } => format!(
            "交接包已写入 {path}：{customers} 位客户，{records} 条记录，储值余额合计 {prepaid_total} 元。\nSHA-256：{sha256}"
        ),
        Line::PassphraseOnce(p) => format!(
            "交接包密码（只显示这一次，请抄下来，并与文件分开交给接收方，例如打电话念给对方）：\n\n    {p}\n"
        ),
        Line::Received {
            path,
            seller,
            customers,
            records,
            prepaid_total,
            sha256,
        } => format!(
            "已从“{seller}”接收：新案件 {path}，{customers} 位客户，{records} 条记录，储值余额合计 {prepaid_total} 元。\n交接包 SHA-256（签收单上双方核对）：{sha256}"
        ),
        Line::Notice {
            title,
            customers,
            with_phone,
            units,
            parts,
            declared,
        } => format!(
            "{title}：{customers} 位客户（有手机号 {with_phone}）；短信最长 {units} 字，{parts} 条（声明 {declared} 条）"
        ),
        Line::Written { path, sha256 } => format!("  已写入 {path}  SHA-256 {sha256}"),
        Line::Replies {
            rows,
            changed,
            unchanged,
            unknown_customer,
            unknown_status,
        } => format!(
            "回复 {rows} 条：已记录 {changed}，与原记录相同 {unchanged}，找不到客户 {unknown_customer}，状态无法识别 {unknown_status}"
        ),
        Line::SummaryDraft(n) => format!("已生成草稿（带“草稿”水印）：还有 {n} 项必须完成的事项未完成。"),
        Line::FontMissing {
            font,
            package,
            detail,
        } => format!("缺少字体 {font}：请安装 {package}（sudo apt-get install {package}），或用环境变量 HANDOVER_FONT_DIR 指向字体所在文件夹。\n{detail}"),
    }
}

fn line_en(l: &Line<'_>) -> String {
    match l {
        Line::Problem {
            row,
            column,
            reason,
        } => format!("    row {row}{column}: {reason}"),
        Line::MinorInNote {
            source,
            row,
            header,
            note,
            age,
        } => format!("{source} row {row}, “{header}”: the ID number there shows age {age}: {note}"),
        Line::PlanHeading {
            handover_date,
            records,
        } => format!("Handover plan (handover date {handover_date}, {records} records)"),
        Line::Prepaid {
            total,
            customers,
            refunded,
        } => format!("Prepaid balances: {total} yuan ({customers} customers, {refunded} refunded)"),
        Line::HoldNotices(n) => format!(
            "{n} records whose deletion was asked for are under a legal hold; the customers must be told."
        ),
        Line::RecordedFor(id) => format!("Recorded for customer {id}:"),
        Line::OverrideSet { id, outcome } => {
            format!("Override {id} recorded: the outcome is now “{outcome}”. The plan follows it.")
        }
        Line::OverrideWithdrawn(id) => {
            format!("Override {id} withdrawn: the rules decide again.")
        }
        Line::Exported {
            path,
            customers,
            records,
            prepaid_total,
            sha256,
        } => format!(
            "Package written to {path}: {customers} customers, {records} records, prepaid balances {prepaid_total} yuan.\nSHA-256: {sha256}"
        ),
        Line::PassphraseOnce(p) => format!(
            "Package passphrase (shown only this once: write it down and give it to the recipient separately from the file, e.g. read it out on the phone):\n\n    {p}\n"
        ),
        Line::Received {
            path,
            seller,
            customers,
            records,
            prepaid_total,
            sha256,
        } => format!(
            "Received from “{seller}”: new case {path}, {customers} customers, {records} records, prepaid balances {prepaid_total} yuan.\nPackage SHA-256 (both sides check it on the receipt): {sha256}"
        ),
        Line::Notice {
            title,
            customers,
            with_phone,
            units,
            parts,
            declared,
        } => format!(
            "{title}: {customers} customers ({with_phone} with a mobile); longest SMS {units} units, {parts} part(s) (declared {declared})"
        ),
        Line::Written { path, sha256 } => format!("  wrote {path}  SHA-256 {sha256}"),
        Line::Replies {
            rows,
            changed,
            unchanged,
            unknown_customer,
            unknown_status,
        } => format!(
            "{rows} replies: {changed} recorded, {unchanged} already recorded, {unknown_customer} with no such customer, {unknown_status} with an unknown status"
        ),
        Line::SummaryDraft(n) => format!("Written as a draft (watermarked): {n} required item(s) are still open."),
        Line::FontMissing {
            font,
            package,
            detail,
        } => format!("The font {font} is missing: install {package} (sudo apt-get install {package}) or point HANDOVER_FONT_DIR at a folder that holds it.\n{detail}"),
    }
}

/// The text as it is safe to print on a terminal: control characters (C0 but the line break, DEL, C1) and
/// the bidirectional overrides are written as `\uXXXX`. Headers, file and sheet names, cells and customer
/// names come from files anyone could have crafted; printed raw, an escape sequence in a header would move
/// the cursor, recolour or retitle the owner's terminal, and a right-to-left override would make a line read
/// differently from what it says. The same `\uXXXX` form keeps JSON output valid JSON (JSON already escapes
/// C0 itself; this adds C1 and the overrides, which it leaves raw).
pub(crate) fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    }
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `println!` for everything the CLI prints: the line goes through [`escape_controls`].
macro_rules! say {
    () => {
        println!()
    };
    ($($arg:tt)*) => {
        println!("{}", $crate::text::escape_controls(&format!($($arg)*)))
    };
}

/// `eprintln!` for everything the CLI prints on stderr: the line goes through [`escape_controls`].
macro_rules! say_err {
    () => {
        eprintln!()
    };
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::text::escape_controls(&format!($($arg)*)))
    };
}

pub(crate) use {say, say_err};

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn control_characters_and_overrides_are_escaped_and_the_rest_is_kept() {
        assert_eq!(escape_controls("姓名\t手机"), "姓名\\u0009手机");
        assert_eq!(
            escape_controls("\u{1b}]0;pwned\u{7}\u{1b}[2J备注"),
            "\\u001b]0;pwned\\u0007\\u001b[2J备注"
        );
        assert_eq!(escape_controls("a\u{85}b\u{202E}c"), "a\\u0085b\\u202ec");
        assert_eq!(escape_controls("第一行\n第二行"), "第一行\n第二行");
        assert!(matches!(
            escape_controls("王记便利店"),
            std::borrow::Cow::Borrowed(_)
        ));
        let json = serde_json::json!({ "h": "x\u{85}\u{1b}" }).to_string();
        let escaped = escape_controls(&json);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["h"], "x\u{85}\u{1b}");
    }
}
