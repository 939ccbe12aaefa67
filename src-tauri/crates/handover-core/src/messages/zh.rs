//! 简体中文: every sentence and label the core has for people, one exhaustive `match` per kind of message.
//! The English twin is `en.rs`; a new variant fails to compile here until it has its words.

use crate::audit::{AuditBreak, AuditProblem, AuditReport};
use crate::case::DetailProblemCode;
use crate::case::{BusinessKind, TransferReason};
use crate::detect::category::{Article, Category, LawSource, Sensitivity, SensitivityReason};
use crate::detect::classify::{Evidence, SampleVerdict};
use crate::detect::mask::MaskStyle;
use crate::detect::waybill::Carrier;
use crate::field::FieldType;
use crate::import::normalize::ValueProblem;
use crate::import::UnnamedColumn;
use crate::import::{Format, PreviewNote, RowProblem, RowProblemKind};
use crate::import::{ReadError, SpecialFile};
use crate::import::{MAX_COLUMNS, MAX_RECORD_BYTES};
use crate::notices::error::NoticeError;
use crate::passphrase::{PassphraseCheck, Weakness};
use crate::records::import_file::RememberedMapping;
use crate::records::ingest::ProblemsCsv;
use crate::records::normalise::CellProblem;
use crate::rules::citation::{chinese_article, Cited, Numbering};
use crate::rules::exposure::{ExposureCheck, ExposureClass, ExposureLevel};
use crate::rules::plan::{DeletionRefused, HoldNotice, OwnerOverride};
use crate::rules::status::RulesError;
use crate::rules::status::SourceKindEvidence;
use crate::rules::Outcome;
use crate::rules::{BlockedBy, SourceKind};
use crate::transfer::error::PackageError;
use crate::wizard::derived::{DataNote, Figure, NotYet};
use crate::wizard::{CaseFact, DerivedNote, StepId};
use crate::Error;

pub(super) fn error(e: &Error) -> String {
    match e {
        Error::WrongPassphrase(p) => format!(
            "密码不正确，无法打开“{}”。请检查大小写和输入法后重试。",
            p.display()
        ),
        Error::NotACase(p, why) => format!(
            "“{}”不是交接案件文件（{}）。请选择以 .handover 结尾、由本软件创建的文件。",
            p.display(),
            not_a_case_reason(why)
        ),
        Error::Corrupted(p, detail) => format!(
            "案件文件“{}”已损坏，无法可靠读取（{}）。请使用备份副本。",
            p.display(),
            detail
        ),
        Error::NewerVersion { path, found, known } => format!(
            "“{}”由更新版本的本软件创建（数据格式 {}，本软件最高支持 {}）。请先升级软件再打开，以免丢失数据。",
            path.display(),
            found,
            known
        ),
        Error::FileNotFound(p) => {
            format!("找不到文件“{}”。它可能已被移动或删除。", p.display())
        }
        Error::FileExists(p) => format!(
            "“{}”已存在。为避免覆盖，请换一个案件名称或位置。",
            p.display()
        ),
        Error::SaveTargetNotChosen => {
            "保存位置没有在“保存”对话框中选定（或已经用过一次）。请再点一次保存，在对话框里选择位置。".to_string()
        }
        Error::SaveTargetIsTheCase(p) => format!(
            "“{}”是当前打开的案件文件，不能用别的内容覆盖它。请换一个文件名。",
            p.display()
        ),
        Error::Busy(p) => format!(
            "案件文件“{}”正被另一个程序使用。请关闭其他窗口后重试。",
            p.display()
        ),
        Error::NoPassphrase => {
            "没有提供密码：请在环境变量 HANDOVER_PASSPHRASE 中设置，或在终端中运行以便输入。".into()
        }
        Error::PassphraseMismatch => "两次输入的密码不一致，请重新输入。".into(),
        Error::WeakPassphrase(w) => weakness(w),
        Error::InvalidDetails(problems) => {
            let list: Vec<String> = problems.iter().map(|p| detail_problem(&p.code)).collect();
            format!("案件信息需要修改：{}", list.join("；"))
        }
        Error::NoCaseOpen => "当前没有打开的案件。".into(),
        Error::Io { path, source } => format!("读写“{}”时出错：{}", path.display(), source),
        Error::Database(e) if crate::error::is_disk_full(e) => {
            "磁盘空间不足：案件文件所在的磁盘已满。这次修改没有保存，案件保持原样。请删除不需要的文件、腾出空间后再试一次。".into()
        }
        Error::Database(e) => format!("案件文件读写出错：{e}"),
        Error::Cancelled => "已取消，案件没有任何改动。".into(),
        Error::DuplicateImport {
            file,
            previous_label,
            imported_at,
        } => format!(
            "“{file}”的内容已在 {imported_at} 导入过（来源“{previous_label}”）。再次导入会产生重复记录；如确实需要，请确认后再导入。"
        ),
        Error::Import { file, reason, .. } => {
            format!("无法导入“{file}”：{}", read_error(reason))
        }
        Error::ImportPending => "有一次导入尚未确认：请先确认导入或放弃导入。".into(),
        Error::AuditBroken(seq) => format!(
            "审计日志从第 {seq} 条起不完整或被改动过，打开案件时已发现。请先查看审计日志并确认知悉，之后才能继续修改案件。"
        ),
        Error::Rules(e) => rules_error(e),
        Error::UnknownItem(id) => format!("找不到检查项“{id}”。请重新打开案件后再试。"),
        Error::ItemFromCaseDetails(_) => {
            "这一项按案件信息自动勾选，不能手动更改。请修改案件信息。".into()
        }
        Error::ItemFromAppData(_) => {
            "这一项由本软件按导入的资料和处理方案自动算出，不能手动勾选。请按这一项下面的提示去做相应的那一步。".into()
        }
        Error::ReasonRequired => "标为“不适用”时，请写一句为什么不适用。".into(),
        Error::EvidenceTooLarge { file, size, max } => format!(
            "“{file}”有 {} MB，超过了凭证文件 {} MB 的上限。请拍照或扫描成较小的文件再附上。",
            size / 1_048_576,
            max / 1_048_576
        ),
        Error::TextTooLong { max, .. } => format!("内容太长（最多 {max} 个字），请精简。"),
        Error::TextRequired { .. } => "这一项必须填写。".into(),
        Error::NotCustomerInformation => "员工资料和监控录像不是客户信息，默认不随客户移交。确实要交给接手方的，请在“具体怎么做”里写明理由（例如员工本人同意随店转入新东家；监控里的人脸是敏感个人信息，需要单独同意）。".into(),
        Error::NotFound(_) => "要找的内容已经不在了，可能刚被删除。页面已刷新。".into(),
        Error::Package(e) => package_error(e),
        Error::Notices(e) => notice_error(e),
        Error::Internal(e) => format!("程序内部错误：{e}。您的数据没有改动。"),
        Error::DestroyNotConfirmed => {
            "销毁无法撤销，需要您明确确认后才会执行（命令行加 --confirm）。案件没有任何改动。".into()
        }
        Error::PlanMissing => "还没有计算处理方案，还不能导出或销毁。请先在“处理方案”一步计算方案。".into(),
        Error::PlanStale => {
            "处理方案已过时（之后改动过客户、记录或您的选择）。请先重新计算方案，核对后再导出或销毁。".into()
        }
        Error::InvalidSha256(s) => format!("“{s}”不是 SHA-256 校验值（应为 64 位十六进制数字）。"),
        Error::BackupMismatch { path, what } => format!(
            "副本“{}”与案件不一致（{what}），已作废。请重新备份或换一个备份恢复。",
            path.display()
        ),
        Error::NotReceived => "这个案件不是接收数据包时建立的，没有签收单可以打印。签收单由接收方在接收数据包时生成。".into(),
        Error::NoCertificate(r) if r.is_empty() => "这个案件还没有执行过销毁，没有销毁证明。".into(),
        Error::NoCertificate(r) => format!("这个案件中没有编号为“{r}”的销毁证明。"),
    }
}

/// Why a file is not a case (`Error::NotACase`'s reason code, from the store's sniffing).
fn not_a_case_reason(why: &str) -> &'static str {
    match why {
        "empty" => "文件是空的",
        "plain-sqlite" => "这是一个未加密的普通数据库",
        "text" => "这是一个文本文件",
        "known-format" => "这是其他格式的文件，如表格、压缩包或文档",
        "foreign-database" => "这是其他软件的加密数据库",
        "directory" => "这是一个文件夹",
        _ => "文件结构不符",
    }
}

pub(super) fn weakness(w: &Weakness) -> String {
    match w {
        Weakness::Empty => "请设置密码。",
        Weakness::TooShort => {
            "密码太短：至少需要 8 个字符。可以用一句只有您知道的话，例如“我家门口有3棵桂花树”。"
        }
        Weakness::TooGuessable => {
            "密码太容易被猜到（常见词、生日、键盘顺序或重复字符）。请加长，或用一句只有您知道的话。"
        }
    }
    .into()
}

pub(super) fn passphrase_check(c: &PassphraseCheck) -> String {
    match &c.weakness {
        Some(w) => weakness(w),
        None => "密码强度足够。请务必记住或妥善保存：忘记后无法找回，案件文件将无法打开。".into(),
    }
}

pub(super) fn detail_problem(code: &DetailProblemCode) -> String {
    match code {
        DetailProblemCode::SellerNameMissing => "请填写转让方名称（店名或公司名）。",
        DetailProblemCode::SellerContactMissing => {
            "请填写转让方联系方式，客户和接收方需要能联系到您。"
        }
        DetailProblemCode::ResponsiblePersonMissing => "请填写客户信息负责人。",
        DetailProblemCode::RecipientMissing => {
            "这种交接方式需要接收方。请填写接收方名称和联系方式。"
        }
        DetailProblemCode::RecipientNameMissing => {
            "请填写接收方名称或姓名（《个人信息保护法》第二十二条要求告知客户）。"
        }
        DetailProblemCode::RecipientContactMissing => {
            "请填写接收方联系方式（《个人信息保护法》第二十二条要求告知客户）。"
        }
        DetailProblemCode::HandoverDateMissing => "请填写计划交接日期。",
        DetailProblemCode::TooLong => "内容太长，请精简。",
        DetailProblemCode::BankruptcyNotForSoleProprietor => {
            "个体工商户不能申请破产：《企业破产法》第二条只适用于企业法人。个体工商户歇业或注销，请选择“解散或注销”；欠客户的钱（如储值余额）由经营者本人负责清偿。"
        }
    }
    .into()
}

pub(super) fn audit_problem(p: &AuditProblem) -> String {
    let what = match (&p.at, &p.action) {
        (Some(at), Some(action)) => format!(" ({at}, {action})"),
        _ => String::new(),
    };
    match p.kind {
        AuditBreak::Altered => format!("审计日志第 {} 条{what}在写入后被修改过。", p.seq),
        AuditBreak::BrokenLink => format!(
            "审计日志第 {} 条{what}与前一条对不上：前一条被修改或删除过。",
            p.seq
        ),
        AuditBreak::Missing => format!("审计日志第 {} 条被删除了。", p.seq),
        AuditBreak::Truncated => format!("审计日志从第 {} 条起的最新记录被删除了。", p.seq),
    }
}

pub(super) fn audit_report(r: &AuditReport) -> String {
    match &r.first_problem {
        None => format!("审计日志完整：共 {} 条记录，未发现改动。", r.entries),
        Some(p) => audit_problem(p),
    }
}

pub(super) fn notice_error(e: &NoticeError) -> String {
    match e {
        NoticeError::NoPlan => "还没有处理方案：请先计算方案（handover plan），再按方案生成通知。".into(),
        NoticeError::SmsTooLong {
            notice,
            units,
            declared_parts,
        } => format!(
            "通知“{notice}”的短信有 {units} 个字（含签名），超过了声明的 {declared_parts} 条。请缩短短信签名，或在案件信息中使用较短的接收方名称和联系方式。"
        ),
        NoticeError::BadSignature => "短信签名要 2 到 12 个字，不要带【】括号。".into(),
        NoticeError::TooManyLetters {
            notice,
            letters,
            max,
        } => format!(
            "通知 {notice} 要寄信的客户（没有手机号的）有 {letters} 位，超过一个信函文件能放的 {max} 封。请用店门口的告示和短信平台文件通知客户。"
        ),
        NoticeError::ReplyColumnsMissing { headers } => format!(
            "回复文件里找不到手机号（或客户编号）列和状态列。文件的列是：{}。",
            headers.join("、")
        ),
        NoticeError::InvalidTemplates { problems } => {
            format!("通知模板有错误：{}", problems.join("；"))
        }
    }
}

pub(super) fn rules_error(e: &RulesError) -> String {
    match e {
        RulesError::ReasonMissing => "改判必须写明理由。".into(),
        RulesError::AcknowledgementRequired { outcome: o } => format!(
            "这条记录目前是“{}”：法律要求保存或尚在等待同意/退款。要改判，请明确确认您了解后果并承担责任。",
            self::outcome(*o)
        ),
        RulesError::UnknownCustomer { customer_id } => {
            format!("找不到编号为 {customer_id} 的客户。")
        }
        RulesError::UnknownRecord { record_id } => format!("找不到编号为 {record_id} 的记录。"),
        RulesError::UnknownSource { source_id } => format!("找不到编号为 {source_id} 的来源。"),
        RulesError::UnknownOverride { override_id } => {
            format!("找不到编号为 {override_id} 的改判。")
        }
        RulesError::NoCustomerWithPhone => "没有使用这个手机号的客户。".into(),
        RulesError::NothingToChange => "没有指定要记录的内容。".into(),
        RulesError::AmountOutOfRange {
            record_id,
            customer_id,
            source,
            row,
            amount,
        } => format!(
            "记录 {record_id}（“{source}”第 {row} 行{}）的储值余额为 {amount}，超过 {}，必定是数据有误。未生成处理方案，也未做任何更改。请在原系统中核对这笔金额，改正后重新导出并导入。",
            customer_id.map_or(String::new(), |c| format!("，客户 {c}")),
            crate::rules::prepaid::MAX_BALANCE_TEXT
        ),
        RulesError::InvalidRulebook { problems } => {
            format!("规则文件有误：{}", problems.join("；"))
        }
    }
}

pub(super) fn read_error(e: &ReadError) -> String {
    match e {
        ReadError::Empty => "文件是空的，没有任何内容。请确认导出时选择了数据。".into(),
        ReadError::Binary => "这不是表格文件（看起来是图片、压缩包或其他程序的文件）。请从系统中导出 CSV 或 Excel 文件再导入。".into(),
        ReadError::MarkupExport => "这是网页格式的导出文件（常见于后台导出的 .xls），不是真正的表格文件。请用 Excel 或 WPS 打开它，另存为 .xlsx 或 CSV 后再导入。".into(),
        ReadError::HeaderOnly { header_row } => {
            format!("文件只有表头（第 {header_row} 行），下面没有客户数据。")
        }
        ReadError::NotATable => "这个文件看起来是一段文字，而不是表格：找不到分隔符和表头。如果它是一列名单，请在第一行加上表头（如“手机”）；如果是表格，请从系统中重新导出 CSV 或 Excel。".into(),
        ReadError::TooManyColumns { row, columns } => format!(
            "第 {row} 行有 {columns} 列，超过 {MAX_COLUMNS} 列的上限，这不像客户名单。请检查分隔符，或只导出需要的列。"
        ),
        ReadError::TooLargeRow { row } => format!(
            "从第 {row} 行开始的一行超过 {} MB，通常是引号没有闭合或文件没有换行。文件已损坏，无法导入；请从系统中重新导出。",
            MAX_RECORD_BYTES >> 20
        ),
        ReadError::UnknownEncoding(e) => format!(
            "不认识的文字编码“{e}”。可选：UTF-8、GB18030（GBK）、UTF-16LE、UTF-16BE、Big5。"
        ),
        ReadError::NoSuchSheet { sheet, sheets } => format!(
            "表格里没有名为“{sheet}”的工作表。现有工作表：{}。",
            sheets.join("、")
        ),
        ReadError::HeaderRowOutOfRange { row } => {
            format!("第 {row} 行不存在或是空行，不能作为表头。")
        }
        ReadError::PasswordProtected => "这个 Excel 文件设置了打开密码。请在 Excel 或 WPS 中输入密码打开，取消密码后另存，再导入。".into(),
        ReadError::UnreadableSpreadsheet(e) => format!(
            "无法读取这个 Excel/表格文件（{e}）。文件可能已损坏，或是其他类型的文件。请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再试。"
        ),
        ReadError::FileNotFound => "找不到这个文件，它可能已被移动或删除。".into(),
        ReadError::NotAFile { kind } => format!(
            "这是{}，不是普通文件，因此不会读取。请选择导出的文件本身（CSV 或 Excel 文件）。",
            match kind {
                SpecialFile::Folder => "一个文件夹",
                SpecialFile::Pipe => "一个命名管道（FIFO）",
                SpecialFile::Device => "一个设备",
                SpecialFile::Socket => "一个套接字",
                SpecialFile::Other => "特殊文件",
            }
        ),
        ReadError::Io(e) => format!("读取文件出错：{e}"),
        ReadError::MemoryLimit => "读取这个表格需要的内存超过上限，文件可能已损坏或被刻意构造，因此没有导入。请用 Excel 或 WPS 打开它，确认内容无误后另存为新的 .xlsx 或 CSV 再导入。".into(),
        ReadError::ChangedWhileReading => "读取过程中文件被改动了（大小、修改时间或内容与开始时不同），因此没有导入。请等导出或同步完成、文件不再变化后再导入。".into(),
    }
}

pub(super) fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Transfer => "移交",
        Outcome::Keep => "保留在原店",
        Outcome::Retain => "依法留存（仅存储）",
        Outcome::Delete => "删除",
        Outcome::Deidentify => "去标识化",
        Outcome::Return => "归还快递公司/平台",
        Outcome::Blocked => "暂缓（等待同意或退款）",
    }
}

pub(super) fn business_kind(k: BusinessKind) -> &'static str {
    match k {
        BusinessKind::CourierStation => "快递驿站",
        BusinessKind::Shop => "门店",
        BusinessKind::Company => "公司",
    }
}

pub(super) fn cross_border_mechanism(m: crate::case::CrossBorderMechanism) -> &'static str {
    use crate::case::CrossBorderMechanism as M;
    match m {
        M::SecurityAssessment => "通过国家网信办（网络安全和信息化主管部门）组织的安全评估",
        M::StandardContract => "和境外接收方签订个人信息出境标准合同，并向省级网信办备案",
        M::Certification => "经专业机构进行个人信息保护认证",
    }
}

pub(super) fn legal_form(f: crate::case::LegalForm) -> &'static str {
    match f {
        crate::case::LegalForm::IndividualBusiness => "个体工商户",
        crate::case::LegalForm::Company => "公司（企业法人）",
        crate::case::LegalForm::Other => "其他（个人独资企业、合伙企业等）",
    }
}

pub(super) fn transfer_reason(r: TransferReason) -> &'static str {
    match r {
        TransferReason::SaleWhole => "整体转让（整个店/公司卖给接手方）",
        TransferReason::SaleList => "只转让客户名单（自己继续经营）",
        TransferReason::Merger => "合并",
        TransferReason::Division => "分立",
        TransferReason::Dissolution => "解散或注销",
        TransferReason::Bankruptcy => "破产",
    }
}

pub(super) fn field(f: FieldType) -> &'static str {
    match f {
        FieldType::Name => "姓名",
        FieldType::Mobile => "手机号",
        FieldType::Landline => "固定电话",
        FieldType::IdCard => "身份证号",
        FieldType::Address => "地址",
        FieldType::BankCard => "银行卡号",
        FieldType::Email => "电子邮箱",
        FieldType::Qq => "QQ号",
        FieldType::Wechat => "微信号",
        FieldType::Plate => "车牌号",
        FieldType::Waybill => "快递单号",
        FieldType::PickupCode => "取件码",
        FieldType::CourierCompany => "快递公司",
        FieldType::MemberNumber => "会员号",
        FieldType::PrepaidBalance => "储值余额",
        FieldType::Points => "积分",
        FieldType::LastActivity => "最近消费/到店日期",
        FieldType::Birthday => "生日",
        FieldType::Gender => "性别",
        FieldType::Notes => "备注",
        FieldType::Other => "其他",
        FieldType::OrganisationName => "单位名称",
        FieldType::ContactPerson => "联系人",
        FieldType::BankBranch => "开户行",
        FieldType::AmountOwed => "欠款金额",
        FieldType::TransactionAmount => "交易金额",
        FieldType::TopUpAmount => "充值金额",
        FieldType::DocumentDate => "单据日期",
        FieldType::ParcelArrivalTime => "入库时间",
        FieldType::PickupTime => "取件时间",
        FieldType::ParcelStatus => "包裹状态",
    }
}

pub(super) fn carrier(c: Carrier) -> &'static str {
    match c {
        Carrier::Sf => "顺丰",
        Carrier::Jd => "京东",
        Carrier::Ems => "邮政EMS",
        Carrier::Zto => "中通",
        Carrier::Yto => "圆通",
        Carrier::Sto => "申通",
        Carrier::Yunda => "韵达",
        Carrier::Jt => "极兔",
        Carrier::Deppon => "德邦",
        Carrier::Postal => "境外邮政",
    }
}

pub(super) fn category(c: Category) -> &'static str {
    match c {
        Category::Basic => "基本信息",
        Category::Transaction => "交易信息",
        Category::Preference => "偏好信息",
    }
}

pub(super) fn sensitivity(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::General => "一般个人信息",
        Sensitivity::Sensitive => "敏感个人信息",
    }
}

pub(super) fn law_source(l: LawSource) -> &'static str {
    match l {
        LawSource::Pipl => "个人信息保护法",
        LawSource::GbT35273 => "GB/T 35273-2020《个人信息安全规范》",
        LawSource::Interpretation2017 => {
            "最高法、最高检《关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》（2017）"
        }
    }
}

pub(super) fn article(a: Article) -> &'static str {
    match a {
        Article::Art5 => "第五条",
        Article::Art21 => "第二十一条",
        Article::Art28 => "第二十八条",
        Article::Art31 => "第三十一条",
        Article::AppendixB => "附录B",
    }
}

pub(super) fn sensitivity_reason(r: &SensitivityReason) -> String {
    match r {
        SensitivityReason::BankCard => {
            "银行卡号属于金融账户信息，是《个人信息保护法》第二十八条列明的敏感个人信息。"
        }
        SensitivityReason::IdCard => {
            "身份证号一旦泄露容易被冒用，国家标准将身份证件号码列为敏感个人信息（第二十八条“特定身份”及 GB/T 35273 附录B）。"
        }
        SensitivityReason::PrepaidBalance => {
            "储值余额不是金融账户（《个人信息保护法》第二十八条），按一般个人信息处理。它是欠客户多少钱的凭据：记录移交时余额随记录一起移交，接收方才能继续服务或退款。"
        }
        SensitivityReason::NotATrack => {
            "单独的地址、单号或日期不构成“行踪轨迹”，按一般个人信息处理；快递数据应退回品牌方或删除，不交给接收方。"
        }
        SensitivityReason::Birthday => {
            "生日本身是一般个人信息；如显示客户不满十四周岁，整条记录按敏感个人信息处理，需监护人同意。"
        }
        SensitivityReason::Notes => {
            "备注可能含有健康等敏感内容，已逐条扫描并脱敏，请人工复核。"
        }
    }
    .into()
}

pub(super) fn mask_style(s: MaskStyle) -> &'static str {
    match s {
        MaskStyle::Standard => "标准脱敏",
        MaskStyle::Strict => "严格脱敏",
    }
}

/// One line for documents: what the style shows.
pub(super) fn mask_style_description(s: &MaskStyle) -> String {
    match s {
        MaskStyle::Standard => "标准脱敏：姓名只显示姓（三字及以上另显示末字，如“张*”“欧阳*娜”），手机号显示前三位和后四位（138****5678），身份证号显示前六位和后四位，银行卡号只显示后四位，地址只显示到区县。",
        MaskStyle::Strict => "严格脱敏：姓名只显示姓（张**），手机号、身份证号和银行卡号只显示后四位，地址只显示省和市，其他号码只显示末尾几位。",
    }
    .into()
}

/// One sentence for the mapping screen, e.g. `表头“联系电话”；抽样 1000 个值中 998 个是有效手机号`.
pub(super) fn evidence(e: &Evidence) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(h) = &e.header_match {
        parts.push(if e.header_exact {
            format!("表头“{h}”")
        } else {
            format!("表头含“{h}”")
        });
    }
    let valid = |what: &str| {
        format!(
            "抽样 {} 个值中 {} 个{what}{}",
            e.sampled,
            e.valid,
            field(e.for_type)
        )
    };
    match e.sample_verdict() {
        SampleVerdict::Valid => parts.push(valid("是有效")),
        SampleVerdict::LookLike => parts.push(valid("像")),
        SampleVerdict::NoValues => parts.push("没有可抽样的值".into()),
        SampleVerdict::Silent => {}
    }
    if parts.is_empty() {
        return "表头和内容都无法判断".into();
    }
    parts.join("；")
}

pub(super) fn format(f: Format) -> &'static str {
    match f {
        Format::Csv => "文本表格（CSV/TXT）",
        Format::Utf16Text => "Unicode 文本（Excel 另存为“Unicode 文本”）",
        Format::Xlsx => "Excel (.xlsx)",
        Format::Xlsb => "Excel (.xlsb)",
        Format::Xls => "Excel 97-2003 (.xls)",
        Format::Ods => "OpenDocument (.ods)",
    }
}

/// The problem for the owner (without the row number, which the list shows).
pub(super) fn row_problem(p: &RowProblem) -> String {
    let col = p.column.map(|c| c + 1).unwrap_or(0);
    match p.kind {
        RowProblemKind::TooFewFields => format!(
            "只有 {} 个字段，表头有 {} 列；缺少的列按空白导入",
            p.found, p.expected
        ),
        RowProblemKind::TooManyFields => format!(
            "有 {} 个字段，比表头的 {} 列多，多出的内容没有对应的列，此行未导入",
            p.found, p.expected
        ),
        RowProblemKind::UndecodableBytes => {
            format!("第 {col} 列有无法按所选编码识别的字符（显示为 �），请核对文件编码")
        }
        RowProblemKind::CellTooLong => format!(
            "第 {col} 列的内容有 {} 字节，超过 {} 字节（1 MB）的上限，此行未导入",
            p.found, p.expected
        ),
        RowProblemKind::OpenQuote => format!(
            "第 {col} 列在第 {} 行打开的引号（\"）一直没有闭合，否则文件余下的内容都会并进这一格；此行未导入，其后各行已照常逐行读取",
            p.found
        ),
        RowProblemKind::TotalRow => "这是合计、小计或“共 N 件”之类的汇总行，不是客户，未导入".to_string(),
        RowProblemKind::RepeatedHeader => "这是文件中间重复出现的表头（分页导出），未导入".to_string(),
    }
}

pub(super) fn preview_note(n: &PreviewNote) -> String {
    match n {
        PreviewNote::FormatDiffersFromName {
            extension,
            format: f,
        } => format!(
            "文件名是 .{extension}，但内容其实是{}，已按实际格式读取。",
            format(*f)
        ),
        PreviewNote::RowsAboveHeaderSkipped { rows } => {
            let list = rows.iter().map(u64::to_string).collect::<Vec<_>>();
            format!(
                "表头上方的第 {} 行（标题、说明或分组行）不作为数据导入。",
                list.join("、")
            )
        }
        PreviewNote::EmptySheetsSkipped { sheets } => format!(
            "工作表“{}”是空的，已改读下一个有数据的工作表。",
            sheets.join("”“")
        ),
        PreviewNote::OddTrailingByte { offset } => format!(
            "文件是 UTF-16 文本（每个字符 2 个字节），末尾却多出 1 个字节（第 {offset} 字节处）；这半个字符已忽略，其余内容照常读取。"
        ),
        PreviewNote::OtherSheetsNotImported { sheets } => format!(
            "这个工作簿还有 {} 个工作表没有随这一张导入：“{}”。每张工作表单独导入：导入这一张后，再选择下一张工作表导入（命令行：--sheet “{}”）。",
            sheets.len(),
            sheets.join("”“"),
            sheets.first().map_or("", String::as_str)
        ),
    }
}

pub(super) fn unnamed_column(c: &UnnamedColumn) -> String {
    format!("列{}", c.number)
}

pub(super) fn value_problem(p: &ValueProblem) -> String {
    match p {
        ValueProblem::Empty => "内容为空",
        ValueProblem::NotADate => "无法识别的日期（可用格式如 2024-03-05、2024/3/5、2024年3月5日）",
        ValueProblem::NoSuchDate => "日期不存在（例如 2 月 30 日）",
        ValueProblem::YearOutOfRange => "年份不在 1900–2199 之间",
        ValueProblem::NotATime => "时间不正确（例如 25 点）",
        ValueProblem::NotAnAmount => "无法识别的金额（可用格式如 1234.50、¥1,234.50、1234.5元）",
        ValueProblem::AmountOutOfRange => "金额位数太多，无法精确保存",
    }
    .into()
}

pub(super) fn cell_problem(p: &CellProblem) -> String {
    match p {
        CellProblem::InvalidMobile => "不是有效的手机号",
        CellProblem::InvalidLandline => "不是有效的固定电话",
        CellProblem::InvalidIdNumber => "不是有效的身份证号（位数、出生日期或校验位不对）",
        CellProblem::InvalidBankCard => "不是有效的银行卡号",
        CellProblem::InvalidEmail => "不是有效的电子邮箱",
        CellProblem::UnparseableDate => "无法识别的日期",
        CellProblem::UnparseableAmount => "无法识别的金额",
        CellProblem::AmountBeyondBound => "金额超过一千万亿元（10¹⁵），不可能是真实金额，请核对",
    }
    .into()
}

pub(super) fn problems_csv(t: ProblemsCsv) -> &'static str {
    match t {
        ProblemsCsv::File => "文件",
        ProblemsCsv::Row => "行号",
        ProblemsCsv::Column => "列号",
        ProblemsCsv::ColumnName => "列名",
        ProblemsCsv::Outcome => "处理",
        ProblemsCsv::Kind => "问题类型",
        ProblemsCsv::Reason => "原因",
        ProblemsCsv::NotImported => "未导入",
        ProblemsCsv::ImportedToCheck => "已导入，需核对",
    }
}

/// Why a column's proposed field is the one the owner confirmed before.
pub(super) fn remembered_mapping(_: &RememberedMapping) -> String {
    "上次导入同样格式的文件时您确认的".into()
}

pub(super) fn blocked_by(b: BlockedBy) -> &'static str {
    match b {
        BlockedBy::SeparateConsent => "客户单独同意",
        BlockedBy::GuardianConsent => "监护人同意",
        BlockedBy::RefundOrConsent => "退还余额，或客户同意由接收方承接余额",
        BlockedBy::Refund => "退还余额",
        BlockedBy::Owner => "店主决定",
        BlockedBy::NewConsent => "客户重新同意（接收方改变用途或方式）",
        BlockedBy::TransferMechanism => "出境条件（安全评估、标准合同或认证）",
        BlockedBy::RefundToEstate => "把余额退给继承人",
    }
}

pub(super) fn source_kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::CustomerList => "本店客户名单",
        SourceKind::CourierPlatform => "快递公司/平台的运单和取件数据",
        SourceKind::TaxInvoice => "发票等涉税资料",
        SourceKind::AccountingVoucher => "会计凭证和账簿",
        SourceKind::PrepaidRegistration => "预付卡购卡登记",
    }
}

pub(super) fn source_kind_evidence(e: &SourceKindEvidence) -> String {
    match e {
        SourceKindEvidence::CourierColumn(h) => {
            format!("列“{h}”是运单号、取件码、包裹状态或入库时间：这是替快递公司处理的数据")
        }
        SourceKindEvidence::VoucherColumn(h) => format!("列“{h}”表明这是会计凭证"),
        SourceKindEvidence::InvoiceColumn(h) => format!("列“{h}”表明这是发票或涉税资料"),
        SourceKindEvidence::NoSpecialColumn => "没有运单、发票或凭证列：按本店客户名单处理".into(),
    }
}

pub(super) fn exposure_class(c: ExposureClass) -> &'static str {
    match c {
        ExposureClass::Property => "财产、行踪轨迹、通信内容、征信信息",
        ExposureClass::Transaction => "交易、住宿、通信记录、健康信息",
        ExposureClass::Other => "其他个人信息",
    }
}

/// The plain-words explanation of the exposure check.
pub(super) fn exposure_check(c: &ExposureCheck) -> String {
    if c.records_without_basis == 0 {
        return "没有记录会在没有法律依据的情况下交出。".into();
    }
    let level = match c.level {
        ExposureLevel::EspeciallySerious => "已达到“情节特别严重”的标准（门槛的十倍）",
        ExposureLevel::Serious => "已达到“情节严重”的标准，可能构成侵犯公民个人信息罪",
        ExposureLevel::None | ExposureLevel::BelowThreshold => {
            "还没有达到刑事立案标准，但仍然违法，可能被罚款"
        }
    };
    let mut out = format!(
        "有 {} 条记录会在没有法律依据的情况下交给别人（客户拒绝或撤回同意、卖名单没有同意、儿童没有监护人同意、店主改判等）。去标识化后交出也算“提供”，只有匿名化到无法还原才不算。",
        c.records_without_basis
    );
    if let Some(w) = c.worst() {
        out.push_str(&format!(
            "其中“{}”类 {} 条，而提供服务时获得的这类信息，{} 条就算情节严重；各类按各自门槛折算后合并计算。",
            exposure_class(w.class),
            w.records,
            w.threshold
        ));
    }
    if c.placed_by_practice > 0 {
        out.push_str(&format!(
            "其中 {} 条是“地址加电话”或“车牌加车主”，按法院常见做法归入交易信息一类（待核实）。",
            c.placed_by_practice
        ));
    }
    if let Some(g) = &c.gains {
        out.push_str(&format!(
            "卖名单的价款 {} 元算作违法所得，{} 元就算情节严重（整笔价款都算，法院不一定按条分摊）。",
            g.price, g.threshold
        ));
    }
    out.push_str(&format!(
        "合计{level}。请先取得同意，或撤销这些改判，否则不能生成移交包。"
    ));
    out
}

/// "个人信息保护法 第二十二条"; standards by section ("GB/T 35273-2020 §9.3").
pub(super) fn cited(c: &Cited) -> String {
    let short = &c.short.zh;
    let article = &c.article;
    if article.is_empty() {
        return format!("{short}（条号待核实）");
    }
    let cited = match c.numbering {
        Numbering::Section => format!("{short} §{article}"),
        Numbering::Article => match chinese_article(article) {
            Some(a) => format!("{short} {a}"),
            None => format!("{short} 第{article}条"),
        },
    };
    if c.to_verify {
        format!("{cited}（待核实）")
    } else {
        cited
    }
}

pub(super) fn owner_override(_: &OwnerOverride) -> String {
    "店主改判（附理由）".into()
}

pub(super) fn hold_notice(n: &HoldNotice) -> String {
    format!(
        "客户要求删除，但法律要求保存到 {}。请告诉客户：这些记录只存储、不再使用，到期后删除。",
        n.until
    )
}

pub(super) fn deletion_refused(n: &DeletionRefused) -> String {
    format!(
        "客户要求删除（或撤回了同意），这条记录现在不删除，原因：{}。拒绝或暂不删除，必须告诉客户理由（个人信息保护法第五十条）。",
        n.reason.zh
    )
}

/// What the owner enters for a case fact.
fn case_fact(f: CaseFact) -> &'static str {
    match f {
        CaseFact::Kind => "经营类型",
        CaseFact::Reason => "交接原因",
        CaseFact::Seller => "转让方名称和联系方式",
        CaseFact::Responsible => "客户信息负责人",
        CaseFact::Recipient => "接收方名称和联系方式",
        CaseFact::HandoverDate => "计划交接日期",
        CaseFact::PurposeChange => "接手方是否改变用途",
        CaseFact::CrossBorder => "接手方是否在境外（及出境条件）",
    }
}

pub(super) fn derived_note(n: &DerivedNote) -> String {
    let what = case_fact(n.fact);
    if n.holds {
        format!("已按案件信息自动勾选（{what}）。")
    } else {
        format!("来自案件信息：填好{what}后自动勾选。")
    }
}

pub(super) fn package_error(e: &PackageError) -> String {
    match e {
        PackageError::NothingToTransfer => "方案里没有要转交给接收方的记录，不需要交接包。".into(),
        PackageError::WithoutBasis { records } => format!("有 {records} 条记录会在没有法律依据的情况下交出（见处理方案里的“风险检查”），不能生成交接包。请先取得客户同意，或撤销这些改判。"),
        PackageError::NotAPackage => "这个文件不是交接包（.hopkg）。请确认对方发来的文件是否正确。".into(),
        PackageError::WrongPassphrase => "交接包密码不正确。请核对对方告诉您的密码（按组逐个数字核对）后重试。如果密码确实无误，可能是文件开头被改动过，请让对方重新发送。".into(),
        PackageError::Damaged => "交接包已损坏：文件被改动过、不完整或末尾多了内容。什么也没有导入。请让对方重新发送文件。".into(),
        PackageError::NewerFormat { found, known } => format!(
            "这个交接包由更新版本的本软件制作（格式版本 {found}，本软件只认识到 {known}）。请先升级本软件。"
        ),
        PackageError::MissingPart { part } => format!(
            "交接包不完整：清单里列出的“{part}”不在包里。什么也没有导入。"
        ),
        PackageError::ExtraPart { part } => format!(
            "交接包里有清单没有列出的内容“{part}”，不能信任。什么也没有导入。"
        ),
        PackageError::PartMismatch { part } => format!(
            "交接包里的“{part}”与清单不符（大小、行数或校验值不同）。什么也没有导入。"
        ),
        PackageError::UnsafePath { part } => format!(
            "交接包里有不安全的路径“{part}”（绝对路径、“..”、链接或文件夹），不能信任。什么也没有导入。"
        ),
        PackageError::Changed => "检查之后，交接包文件又被改动了。什么也没有导入；请确认没有其他程序在改这个文件后重试。".into(),
        PackageError::Inconsistent { what } => format!(
            "交接包的内容与清单对不上（{what}）。什么也没有导入。"
        ),
    }
}

pub(super) fn summary_word(w: crate::summary::SummaryWord) -> &'static str {
    use crate::summary::SummaryWord as W;
    use crate::wizard::inventory::{PlaceKind, SourceHandling};
    match w {
        W::NotGiven => "未填写",
        W::ImportedFile => "导入的文件",
        W::HandledPerPlan => "按处理方案逐条处理（见第三部分）",
        W::FieldNeeded => "经营者确认为继续提供服务所必需，移交",
        W::FieldNeededByDefault => "按本程序默认的最小必要范围移交（经营者尚未单独确认）",
        W::FieldNotNeeded => "非继续服务所必需，不移交（移交前删除）",
        W::Yes => "是",
        W::No => "否",
        W::StateOpen => "未完成",
        W::StateDone => "已完成",
        W::StateNotApplicable => "不适用",
        W::StateLater => "稍后处理",
        W::Evidence => "证据",
        W::PlaceKind(k) => match k {
            PlaceKind::Paper => "纸质登记本、单据",
            PlaceKind::PhoneContacts => "手机通讯录、短信",
            PlaceKind::WechatGroup => "微信群、微信好友",
            PlaceKind::CourierPlatform => "驿站或快递系统",
            PlaceKind::EmployeeRecords => "员工资料（不是客户名单）",
            PlaceKind::Cctv => "监控录像（人脸图像，不是客户名单）",
            PlaceKind::Other => "其他",
        },
        W::Handling(h) => match h {
            SourceHandling::Undecided => "尚未决定",
            SourceHandling::Transfer => "移交接收方",
            SourceHandling::Keep => "依法留存，仅存储",
            SourceHandling::Destroy => "删除或销毁",
            SourceHandling::Return => "退还来源方",
        },
    }
}

fn zh_date(d: &str) -> String {
    match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
        Ok(d) => format!(
            "{}年{}月{}日",
            d.format("%Y"),
            d.format("%-m"),
            d.format("%-d")
        ),
        Err(_) => d.to_string(),
    }
}

fn not_yet(n: NotYet) -> String {
    let step = n.step().number();
    match n {
        NotYet::NothingImported => {
            format!("还没有导入客户资料：请先在第{step}步导入文件，导入后这里自动算出。")
        }
        NotYet::FieldsNotChosen => {
            format!(
                "还没有确认交出哪些信息：请在第{step}步选好并点“保存选择”，保存后这里自动显示。"
            )
        }
        NotYet::PlanMissing => {
            format!("还没有算出处理方案：请在第{step}步点“计算处理方案”，算好后这里自动显示。")
        }
        NotYet::PlanStale => format!(
            "处理方案算出以后，案件又有了变动：请在第{step}步点“重新计算”，算好后这里自动更新。"
        ),
    }
}

pub(super) fn data_note(n: &DataNote) -> String {
    let Some(figure) = &n.figure else {
        return n.not_yet.map(not_yet).unwrap_or_default();
    };
    match figure {
        Figure::Columns { files, columns, sensitive, unrecognised } => {
            let mut s = format!("本软件已给 {files} 个文件的 {columns} 列分好类，其中敏感信息 {sensitive} 列");
            if *unrecognised > 0 {
                s.push_str(&format!("，认不出是什么的 {unrecognised} 列"));
            }
            s.push_str("。请在这一步的分类表里逐列看一遍，分错的直接改正。");
            s
        }
        Figure::Minors { minors: 0, counted_on } => format!(
            "没有发现未满14周岁的儿童（按身份证号、生日和备注里写的身份证号，以{}计算）。",
            zh_date(counted_on)
        ),
        Figure::Minors { minors, counted_on } => format!(
            "已发现 {minors} 名未满14周岁的儿童（以{}计算）。他们的信息要交出，必须先取得父母或其他监护人同意。",
            zh_date(counted_on)
        ),
        Figure::FieldsKept { fields } if fields.is_empty() => {
            "已确认：不交出任何客户信息。".to_string()
        }
        Figure::FieldsKept { fields } => format!(
            "已确认交出这 {} 类信息：{}。其余的不交。",
            fields.len(),
            fields.iter().map(|f| field(*f)).collect::<Vec<_>>().join("、")
        ),
        Figure::Prepaid { customers: 0, .. } => "没有客户有储值余额、次卡或押金。".to_string(),
        Figure::Prepaid { total, customers, waiting_total, waiting_records, .. } => {
            let mut s = format!("预付余额合计 ¥{}，共 {customers} 位客户。", super::money::grouped_yuan(total));
            if *waiting_records > 0 {
                s.push_str(&format!(
                    "其中 ¥{}（{waiting_records} 条记录）还在等退款或客户同意：请在第{}步记下退款或客户的回复。",
                    super::money::grouped_yuan(waiting_total),
                    StepId::Notices.number()
                ));
            } else {
                s.push_str("每一笔都已经有了去向。");
            }
            s
        }
        Figure::Parcels { parcels: 0 } => "没有还放在驿站、要退回快递公司的包裹。".to_string(),
        Figure::Parcels { parcels } => format!(
            "待退回快递公司的包裹 {parcels} 件：包裹连同它的记录一起退回，不交给接手的人。"
        ),
        Figure::LegalHold { records: 0, .. } => "没有必须依法保留的记录。".to_string(),
        Figure::LegalHold { records, first_end, last_end } => {
            let first = first_end.as_deref().map(zh_date).unwrap_or_default();
            let last = last_end.as_deref().map(zh_date).unwrap_or_default();
            let ends = if first == last {
                format!("保存到{last}")
            } else {
                format!("最早的保存到{first}，最晚的保存到{last}")
            };
            format!(
                "依法保留 {records} 条记录：保存期从凭证、发票所属年度结束后起算，{ends}。到期后删除。"
            )
        }
        Figure::Replies { answers: a, waiting_customers } => {
            let mut s = format!(
                "已记下客户回复：同意 {}，不同意 {}，监护人同意 {}，监护人不同意 {}，反对 {}，要求删除 {}；告知送达 {} 条，发送失败 {} 条。",
                a.consented, a.refused, a.guardian_consented, a.guardian_refused, a.objected, a.deletion, a.sent, a.failed
            );
            if *waiting_customers > 0 {
                s.push_str(&format!(
                    "还有 {waiting_customers} 位客户要先同意，信息才能交出：请在第{}步记下他们的回复。",
                    StepId::Notices.number()
                ));
            } else {
                s.push_str("需要客户同意的，都已经有了回复。");
            }
            s
        }
    }
}
