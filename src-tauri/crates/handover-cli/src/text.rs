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
        Line::SummaryDraft(n) => format!("Written as a draft (watermarked): {n} required item(s) are still open."),
        Line::FontMissing {
            font,
            package,
            detail,
        } => format!("The font {font} is missing: install {package} (sudo apt-get install {package}) or point HANDOVER_FONT_DIR at a folder that holds it.\n{detail}"),
    }
}
