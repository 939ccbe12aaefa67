//! Guessing what a column holds from its header and a sample of its values.
//!
//! The header is matched against Chinese and English synonyms of every field type after normalisation
//! (trimmed, full-width folded, lower case, without `*`, `（必填）` and punctuation); an exact synonym beats
//! one contained in the header, and of contained ones the one at the end wins (Chinese compounds put the
//! head last: 收件人**手机** is a phone, 地址**备注** a note). The values are then counted against every
//! validator. Values win over a header when they are unambiguous (a column headed 电话 holding landlines is
//! a landline column; a column headed 列3 holding mobiles is a mobile column); a header wins over weak
//! value evidence (a column headed 姓名 is a name column even if some names are odd).
//!
//! The result carries its [`Evidence`], which the mapping screen shows as one sentence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::chars;
use super::{
    address, bank_card, birth_date, email, id_card, landline, mobile, name, pickup_code, plate, qq,
    waybill, wechat,
};
use crate::field::FieldType;

/// Header synonyms per field type (already normalised: lower case, no spaces or punctuation).
pub fn header_synonyms(field: FieldType) -> &'static [&'static str] {
    match field {
        FieldType::Name => &[
            "姓名",
            "名字",
            "客户姓名",
            "客户名",
            "客户名称",
            "收件人",
            "收件人姓名",
            "收货人",
            "收货人姓名",
            "寄件人",
            "寄件人姓名",
            "会员姓名",
            "会员名",
            "联系人",
            "联系人姓名",
            "顾客姓名",
            "持卡人",
            "称呼",
            "客户",
            "顾客",
            "户名",
            "name",
            "customername",
            "fullname",
            "contact",
            "contactname",
            "recipient",
            "customer",
        ],
        FieldType::Mobile => &[
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "电话号码",
            "联系方式",
            "联系手机",
            "收件人手机",
            "收件人电话",
            "收货人电话",
            "收货人手机",
            "寄件人电话",
            "寄件人手机",
            "移动电话",
            "会员手机",
            "客户电话",
            "客户手机",
            "手机电话",
            "预留手机",
            "mobile",
            "mobilephone",
            "mobileno",
            "phone",
            "phonenumber",
            "phoneno",
            "tel",
            "telephone",
            "cell",
            "cellphone",
            "contactnumber",
        ],
        FieldType::Landline => &[
            "固话",
            "座机",
            "座机号",
            "座机号码",
            "固定电话",
            "办公电话",
            "家庭电话",
            "单位电话",
            "landline",
            "homephone",
            "officephone",
            "fixedline",
        ],
        FieldType::IdCard => &[
            "身份证",
            "身份证号",
            "身份证号码",
            "身份证件号",
            "身份证件号码",
            "证件号",
            "证件号码",
            "公民身份号码",
            "证件",
            "id",
            "idno",
            "idnumber",
            "idcard",
            "idcardno",
            "identitycard",
            "nationalid",
        ],
        FieldType::Address => &[
            "地址",
            "收件地址",
            "收货地址",
            "住址",
            "家庭住址",
            "家庭地址",
            "详细地址",
            "联系地址",
            "通讯地址",
            "送货地址",
            "寄件地址",
            "居住地址",
            "所在地",
            "address",
            "shippingaddress",
            "deliveryaddress",
            "homeaddress",
        ],
        FieldType::BankCard => &[
            "银行卡",
            "银行卡号",
            "银行账号",
            "银行账户",
            "开户账号",
            "收款账号",
            "收款卡号",
            "储蓄卡号",
            "bankcard",
            "bankaccount",
            "bankaccountnumber",
            "bankcardno",
        ],
        FieldType::Email => &[
            "邮箱",
            "电子邮箱",
            "邮件",
            "电子邮件",
            "邮箱地址",
            "email",
            "emailaddress",
            "mail",
        ],
        FieldType::Qq => &["qq", "qq号", "qq号码", "扣扣", "qq账号"],
        FieldType::Wechat => &[
            "微信",
            "微信号",
            "微信账号",
            "微信id",
            "wechat",
            "wechatid",
            "weixin",
            "wx",
        ],
        FieldType::Plate => &[
            "车牌",
            "车牌号",
            "车牌号码",
            "车号",
            "plate",
            "licenseplate",
            "licenceplate",
            "carplate",
            "plateno",
        ],
        FieldType::Waybill => &[
            "单号",
            "运单号",
            "快递单号",
            "运单",
            "物流单号",
            "快递号",
            "运单编号",
            "面单号",
            "waybill",
            "waybillno",
            "trackingnumber",
            "trackingno",
        ],
        FieldType::PickupCode => &[
            "取件码",
            "提货码",
            "取货码",
            "取件号",
            "货架号",
            "取件编号",
            "pickupcode",
            "pickup",
        ],
        FieldType::CourierCompany => &[
            "快递公司",
            "快递品牌",
            "快递",
            "承运商",
            "物流公司",
            "快递名称",
            "快递类型",
            "courier",
            "carrier",
            "couriercompany",
        ],
        FieldType::MemberNumber => &[
            "会员号",
            "会员卡号",
            "卡号",
            "会员编号",
            "会员id",
            "会员账号",
            "客户编号",
            "客户号",
            "会员卡",
            "membernumber",
            "memberno",
            "memberid",
            "membershipnumber",
            "cardno",
        ],
        FieldType::PrepaidBalance => &[
            "余额",
            "储值余额",
            "卡内余额",
            "剩余金额",
            "账户余额",
            "储值",
            "会员余额",
            "卡余额",
            "剩余储值",
            // A company's customers pay in advance too: what it still owes them is the same kind of money.
            "预付款",
            "预付款余额",
            "预存款",
            "预收款",
            "预付金额",
            "预存金额",
            "充值余额",
            "balance",
            "prepaidbalance",
            "storedvalue",
        ],
        FieldType::Points => &[
            "积分",
            "会员积分",
            "剩余积分",
            "可用积分",
            "points",
            "loyaltypoints",
        ],
        FieldType::LastActivity => &[
            "最近消费",
            "最后消费",
            "最近到店",
            "最后到店",
            "最后取件时间",
            "最近取件",
            "最后取件",
            "最后消费时间",
            "最近消费时间",
            "最近到店时间",
            "最后到店时间",
            "上次消费",
            "上次到店",
            "最近一次消费",
            "最后一次消费",
            "上次消费时间",
            "最近一次消费时间",
            "最近取件时间",
            "上次取件时间",
            "最近来店",
            "lastvisit",
            "lastpurchase",
            "lastactivity",
            "lastpickup",
        ],
        FieldType::Birthday => &[
            "生日",
            "出生日期",
            "出生年月",
            "出生年月日",
            "出生",
            "birthday",
            "dateofbirth",
            "dob",
            "birthdate",
        ],
        FieldType::Gender => &["性别", "gender", "sex"],
        FieldType::Notes => &[
            "备注",
            "说明",
            "备注信息",
            "客户备注",
            "附言",
            "留言",
            "描述",
            "其他说明",
            "notes",
            "note",
            "remark",
            "remarks",
            "comment",
            "comments",
            "memo",
        ],
        // Dates and states of the business's own bookkeeping, not of the customer: a parcel's arrival at the
        // station is not a visit by the customer, and mapping it as the last activity would date the
        // customer by the parcel (the import takes the first activity column).
        FieldType::Other => &[
            "创建时间",
            "录入时间",
            "导入时间",
            "导出时间",
            "修改时间",
            "更新时间",
            "状态",
            "订单状态",
        ],
        FieldType::OrganisationName => &[
            "单位名称",
            "公司名称",
            "企业名称",
            "客户单位",
            "往来单位",
            "往来单位名称",
            "购货单位",
            "购买方名称",
            "客户公司",
            "单位",
            "公司",
            "companyname",
            "company",
            "organisation",
            "organization",
        ],
        FieldType::ContactPerson => &[
            "对接人",
            "业务联系人",
            "联系人员",
            "负责人",
            "contactperson",
        ],
        FieldType::BankBranch => &[
            "开户行",
            "开户银行",
            "开户网点",
            "开户支行",
            "开户行名称",
            "银行名称",
            "所属银行",
            "bankbranch",
            "bank",
        ],
        FieldType::AmountOwed => &[
            "欠款",
            "欠款金额",
            "欠费",
            "欠费金额",
            "赊账",
            "赊欠",
            "应收",
            "应收款",
            "应收金额",
            "应收账款",
            "应收余额",
            "未结金额",
            "未收金额",
            "挂账",
            "挂账金额",
            "amountowed",
            "receivable",
        ],
        FieldType::TransactionAmount => &[
            "金额",
            "消费金额",
            "消费额",
            "交易金额",
            "实付金额",
            "支付金额",
            "付款金额",
            "订单金额",
            "实收金额",
            "成交金额",
            "销售金额",
            "本次消费",
            "amount",
            "paidamount",
        ],
        FieldType::TopUpAmount => &[
            "充值金额",
            "充值",
            "充值额",
            "充值款",
            "本次充值",
            "topup",
            "topupamount",
        ],
        FieldType::DocumentDate => &[
            "开票日期",
            "开票时间",
            "发票日期",
            "凭证日期",
            "交易日期",
            "单据日期",
            "开单日期",
            "记账日期",
            "交易时间",
            "充值时间",
            "充值日期",
            "付款时间",
            "付款日期",
            "支付时间",
            "下单时间",
            "订单日期",
            "invoicedate",
            "transactiondate",
            "documentdate",
        ],
        FieldType::ParcelArrivalTime => &[
            "入库时间",
            "入库日期",
            "到件时间",
            "到件日期",
            "到站时间",
            "入站时间",
            "到货时间",
            "上架时间",
            "arrivaltime",
        ],
        // A customer's pickup is their activity: without a last-activity column, the import dates the record
        // by it (`ingest::activity_column`).
        FieldType::PickupTime => &[
            "取件时间",
            "取件日期",
            "签收时间",
            "签收日期",
            "出库时间",
            "出库日期",
            "领取时间",
            "取货时间",
            "pickuptime",
            "pickupdate",
        ],
        FieldType::ParcelStatus => &[
            "取件状态",
            "包裹状态",
            "快件状态",
            "件状态",
            "快递状态",
            "签收状态",
            "出库状态",
            "在库状态",
            "parcelstatus",
        ],
    }
}

/// Normalises a header for matching: full-width folded, lower case, and without whitespace, asterisks,
/// punctuation and bracketed remarks such as `（必填）` or `[选填]`.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    for c in h.chars() {
        let f = chars::fold(c);
        match f {
            '(' | '[' | '{' | '【' | '〔' | '《' => depth += 1,
            ')' | ']' | '}' | '】' | '〕' | '》' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || chars::is_han(c) => out.push(c.to_ascii_lowercase()),
            // `/`, `-`, `_`, `*`, `:`, `.`, spaces, quotes: dropped.
            _ => {}
        }
    }
    out
}

/// How the header matched a synonym.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HeaderMatch {
    pub field: FieldType,
    /// The synonym that matched.
    pub synonym: String,
    /// The normalised header is the synonym (not merely contains it).
    pub exact: bool,
}

/// Matches a header against the synonyms of every field type.
pub fn match_header(header: &str) -> Option<HeaderMatch> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let mut best: Option<(bool, bool, usize, FieldType, &str)> = None; // (exact, at_end, len, …)
    for field in FieldType::ALL {
        for &syn in header_synonyms(field) {
            let exact = h == syn;
            // ASCII synonyms only count inside an ASCII header as whole words would (`id` in `valid`
            // is not an ID column): contained ASCII synonyms must be at least four letters.
            let ascii = syn.is_ascii();
            let contained = !exact && h.contains(syn) && (!ascii || syn.len() >= 4);
            if !exact && !contained {
                continue;
            }
            let key = (exact, h.ends_with(syn), syn.chars().count());
            if best.is_none_or(|(e, a, l, _, _)| key > (e, a, l)) {
                best = Some((key.0, key.1, key.2, field, syn));
            }
        }
    }
    best.map(|(exact, _, _, field, syn)| HeaderMatch {
        field,
        synonym: syn.to_string(),
        exact,
    })
}

/// Why a column got its field type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// The header synonym that matched, if any.
    pub header_match: Option<String>,
    /// The header is exactly that synonym.
    pub header_exact: bool,
    /// How many sampled values are valid for `for_type`.
    pub valid: u32,
    /// How many non-empty values were sampled.
    pub sampled: u32,
    /// The type the values were counted for.
    pub for_type: FieldType,
}

/// The guess for one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ColumnGuess {
    pub field: FieldType,
    /// 0 (no idea) to 1 (certain).
    pub confidence: f32,
    pub evidence: Evidence,
}

/// How strongly a validator speaks for its type: strong validators reject almost everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Strong,
    Weak,
    None,
}

fn strength(f: FieldType) -> Strength {
    match f {
        FieldType::Mobile
        | FieldType::Landline
        | FieldType::IdCard
        | FieldType::BankCard
        | FieldType::Email
        | FieldType::Plate
        | FieldType::Waybill
        | FieldType::PickupCode
        | FieldType::CourierCompany
        | FieldType::Gender
        | FieldType::Birthday
        | FieldType::LastActivity => Strength::Strong,
        FieldType::ContactPerson
        | FieldType::AmountOwed
        | FieldType::TransactionAmount
        | FieldType::TopUpAmount
        | FieldType::DocumentDate
        | FieldType::ParcelArrivalTime
        | FieldType::PickupTime
        | FieldType::ParcelStatus => Strength::Weak,
        FieldType::OrganisationName | FieldType::BankBranch => Strength::None,
        FieldType::Name
        | FieldType::Address
        | FieldType::Qq
        | FieldType::Wechat
        | FieldType::MemberNumber
        | FieldType::PrepaidBalance
        | FieldType::Points
        | FieldType::Notes => Strength::Weak,
        FieldType::Other => Strength::None,
    }
}

fn is_amount(v: &str) -> bool {
    let t = chars::trim(v);
    let t = t
        .trim_start_matches(['¥', '￥', '$'])
        .trim_end_matches('元');
    let t = chars::trim(t);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let int = int.strip_prefix('-').unwrap_or(int);
    let int_ok = !int.is_empty()
        && int.split(',').enumerate().all(|(i, g)| {
            g.bytes().all(|b| b.is_ascii_digit()) && !g.is_empty() && (i == 0 || g.len() == 3)
        });
    int_ok
        && frac.is_none_or(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
}

fn is_gender(v: &str) -> bool {
    matches!(
        chars::trim(v).to_ascii_lowercase().as_str(),
        "男" | "女"
            | "男性"
            | "女性"
            | "先生"
            | "女士"
            | "未知"
            | "m"
            | "f"
            | "male"
            | "female"
            | "man"
            | "woman"
    )
}

fn is_notes_like(v: &str) -> bool {
    let t = chars::trim(v);
    let n = t.chars().count();
    n >= 8
        && t.chars().any(chars::is_han)
        && t.chars()
            .any(|c| c.is_ascii_punctuation() || "，。；、！？：（）“”".contains(c) || c == ' ')
}

fn is_member_number(v: &str) -> bool {
    let t = chars::trim(v);
    (4..=20).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && t.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a value is valid for a field type (the counting behind [`classify_column`]).
pub fn value_matches(field: FieldType, v: &str) -> bool {
    match field {
        FieldType::Name => name::is_chinese_name(v),
        FieldType::Mobile => mobile::is_mobile(v),
        FieldType::Landline => landline::is_landline(v),
        FieldType::IdCard => id_card::is_valid(v),
        FieldType::Address => address::is_address(v),
        FieldType::BankCard => bank_card::is_bank_card(v),
        FieldType::Email => email::is_valid(v),
        FieldType::Qq => qq::is_valid(v),
        FieldType::Wechat => wechat::is_valid(v),
        FieldType::Plate => plate::is_valid(v),
        FieldType::Waybill => waybill::is_valid(v),
        FieldType::PickupCode => pickup_code::looks_like(v),
        FieldType::CourierCompany => waybill::Carrier::from_name(v).is_some(),
        FieldType::MemberNumber => is_member_number(v),
        FieldType::PrepaidBalance => is_amount(v),
        FieldType::Points => {
            let t = chars::trim(v);
            !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit())
        }
        FieldType::LastActivity => birth_date::looks_like_date(v),
        FieldType::Birthday => birth_date::parse(v).is_some(),
        FieldType::Gender => is_gender(v),
        FieldType::Notes => is_notes_like(v),
        FieldType::Other | FieldType::OrganisationName | FieldType::BankBranch => false,
        FieldType::ContactPerson => name::is_chinese_name(v),
        FieldType::AmountOwed | FieldType::TransactionAmount | FieldType::TopUpAmount => {
            is_amount(v)
        }
        FieldType::DocumentDate | FieldType::ParcelArrivalTime | FieldType::PickupTime => {
            birth_date::looks_like_date(v)
        }
        FieldType::ParcelStatus => is_parcel_status(v),
    }
}

/// A parcel's state as courier-station software writes it.
fn is_parcel_status(v: &str) -> bool {
    const STATES: [&str; 14] = [
        "待取件",
        "已取件",
        "滞留件",
        "滞留",
        "退回",
        "已退回",
        "退件",
        "待派送",
        "已签收",
        "未取件",
        "已出库",
        "在库",
        "问题件",
        "拒收",
    ];
    STATES.contains(&chars::trim(v))
}

/// Order in which strong types are preferred when several fit equally (an 18-digit ID also passes some
/// generic checks; a landline-looking mobile does not exist, but a date column could be either date type).
const STRONG_ORDER: [FieldType; 12] = [
    FieldType::IdCard,
    FieldType::BankCard,
    FieldType::Mobile,
    FieldType::Landline,
    FieldType::Email,
    FieldType::Plate,
    FieldType::Waybill,
    FieldType::PickupCode,
    FieldType::CourierCompany,
    FieldType::Gender,
    FieldType::Birthday,
    FieldType::LastActivity,
];

/// Guesses the field type of a column from its header and sampled values (empty values are ignored).
pub fn classify_column(header: &str, samples: &[&str]) -> ColumnGuess {
    let values: Vec<&str> = samples
        .iter()
        .map(|s| chars::trim(s))
        .filter(|s| !s.is_empty())
        .collect();
    let sampled = values.len() as u32;
    let count = |f: FieldType| values.iter().filter(|v| value_matches(f, v)).count() as u32;
    let share = |valid: u32| {
        if sampled == 0 {
            0.0
        } else {
            valid as f32 / sampled as f32
        }
    };
    let hm = match_header(header);

    // Value evidence for the strong types.
    let mut strong: Vec<(FieldType, u32)> = STRONG_ORDER.iter().map(|&f| (f, count(f))).collect();
    // Dates: a column of old dates is a birthday column, recent ones are activity dates.
    refine_dates(&values, &mut strong);
    let best_strong = strong
        .iter()
        .copied()
        .enumerate()
        .max_by(|(ia, (_, a)), (ib, (_, b))| a.cmp(b).then(ib.cmp(ia)))
        .map(|(_, x)| x)
        .filter(|&(_, v)| v > 0);

    let evidence = |field: FieldType, valid: u32| Evidence {
        header_match: hm.as_ref().map(|m| m.synonym.clone()),
        header_exact: hm.as_ref().is_some_and(|m| m.exact),
        valid,
        sampled,
        for_type: field,
    };
    let guess = |field: FieldType, confidence: f32, valid: u32| ColumnGuess {
        field,
        confidence: confidence.clamp(0.0, 1.0),
        evidence: evidence(field, valid),
    };

    if let Some(m) = &hm {
        let h = m.field;
        let base = if m.exact { 0.8 } else { 0.65 };
        if h == FieldType::Other && sampled > 0 {
            // A bookkeeping header (入库时间, 状态): its dates are not the customer's, but a column of
            // nothing but phone or ID numbers under it is still personal information.
            if let Some((t, tv)) = best_strong
                .filter(|(t, _)| !matches!(t, FieldType::Birthday | FieldType::LastActivity))
            {
                if share(tv) >= 0.9 {
                    return guess(t, 0.5 + 0.45 * share(tv), tv);
                }
            }
        }
        if sampled == 0 || strength(h) == Strength::None {
            return guess(h, base, 0);
        }
        let hv = strong
            .iter()
            .find(|(f, _)| *f == h)
            .map_or_else(|| count(h), |&(_, v)| v);
        let hs = share(hv);
        // Values that clearly are another type override the header: 电话 holding landlines, 备注 holding
        // nothing but mobiles.
        if let Some((t, tv)) = best_strong {
            let ts = share(tv);
            let phones = matches!(
                (h, t),
                (FieldType::Mobile, FieldType::Landline) | (FieldType::Landline, FieldType::Mobile)
            );
            if t != h && ts >= 0.8 && ts > hs && (phones || ts >= 0.9) {
                return guess(t, 0.5 + 0.45 * ts, tv);
            }
        }
        // A phone header (联系电话, 电话) over a column mixing mobiles and landlines: the values decide which
        // kind the column mostly holds, as without a header.
        if matches!(h, FieldType::Mobile | FieldType::Landline) {
            let (mv, lv) = (
                count_in(&strong, FieldType::Mobile),
                count_in(&strong, FieldType::Landline),
            );
            let other = if h == FieldType::Mobile { lv } else { mv };
            if share(mv + lv) >= 0.8 && other > hv {
                let t = if h == FieldType::Mobile {
                    FieldType::Landline
                } else {
                    FieldType::Mobile
                };
                return guess(t, 0.4 + 0.4 * share(mv + lv), other);
            }
        }
        // A name header (客户名称) over firms' names, not people's: the column names businesses, which are
        // not personal information.
        if h == FieldType::Name
            && share(hv) < 0.2
            && share(values.iter().filter(|v| is_organisation_name(v)).count() as u32) >= 0.6
        {
            return ColumnGuess {
                field: FieldType::OrganisationName,
                confidence: 0.5,
                evidence: evidence(FieldType::Name, hv),
            };
        }
        if hs >= 0.5 || strength(h) == Strength::Weak {
            return guess(h, base + (1.0 - base) * hs, hv);
        }
        // The header says so, but the values do not confirm it (the import will flag them).
        return guess(h, base * 0.6, hv);
    }

    if sampled == 0 {
        return guess(FieldType::Other, 0.0, 0);
    }
    if let Some((t, tv)) = best_strong {
        let ts = share(tv);
        if ts >= 0.8 {
            return guess(t, 0.5 + 0.45 * ts, tv);
        }
        // A phone column mixing mobiles and landlines: the majority type.
        let m = count_in(&strong, FieldType::Mobile);
        let l = count_in(&strong, FieldType::Landline);
        if share(m + l) >= 0.8 {
            let (f, v) = if m >= l {
                (FieldType::Mobile, m)
            } else {
                (FieldType::Landline, l)
            };
            return guess(f, 0.4 + 0.4 * share(m + l), v);
        }
    }
    for (f, min, conf) in [
        (FieldType::Address, 0.6, 0.6),
        (FieldType::Notes, 0.6, 0.5),
        (FieldType::Name, 0.8, 0.5),
    ] {
        let v = count(f);
        if share(v) >= min {
            return guess(f, conf + 0.3 * share(v), v);
        }
    }
    guess(FieldType::Other, 0.2, 0)
}

/// Headers that name a contact: on a list of people the customer's own name, on a list of firms the person
/// to contact there.
const CONTACT_HEADERS: [&str; 5] = [
    "联系人",
    "联系人姓名",
    "联系人名称",
    "contact",
    "contactname",
];

/// What only the whole sheet tells, applied to the guesses of its columns (`guesses[i]` for `headers[i]`):
/// a 联系人 column beside a customer or organisation name column (客户名称, 单位名称) is the contact person,
/// not a second customer name. The owner can still correct any column.
pub fn refine_with_sheet(headers: &[String], guesses: &mut [ColumnGuess]) {
    let is_contact = |i: usize| {
        headers
            .get(i)
            .is_some_and(|h| CONTACT_HEADERS.contains(&normalize_header(h).as_str()))
    };
    let named_customer = |skip: usize| {
        guesses.iter().enumerate().any(|(j, g)| {
            j != skip
                && !is_contact(j)
                && matches!(g.field, FieldType::Name | FieldType::OrganisationName)
        })
    };
    let contacts: Vec<usize> = (0..guesses.len())
        .filter(|&i| guesses[i].field == FieldType::Name && is_contact(i) && named_customer(i))
        .collect();
    for i in contacts {
        guesses[i].field = FieldType::ContactPerson;
        guesses[i].evidence.for_type = FieldType::ContactPerson;
    }
}

/// The count of valid values for `f` among the strong types' counts.
fn count_in(strong: &[(FieldType, u32)], f: FieldType) -> u32 {
    strong.iter().find(|(x, _)| *x == f).map_or(0, |x| x.1)
}

/// A business's name rather than a person's: it ends in the word for a kind of business (北京华信商贸有限公司,
/// 老王五金店, 红星建材经营部).
fn is_organisation_name(v: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "公司",
        "集团",
        "经营部",
        "商行",
        "门市部",
        "工作室",
        "事务所",
        "店",
        "厂",
        "中心",
        "合作社",
        "研究所",
        "研究院",
        "医院",
        "诊所",
        "学校",
        "酒店",
        "超市",
        "批发部",
        "营业部",
        "分部",
        "商贸",
        "幼儿园",
        "协会",
    ];
    let t = chars::trim(v);
    t.chars().count() >= 4 && ENDINGS.iter().any(|e| t.ends_with(e))
}

/// Splits date evidence between Birthday and LastActivity: without a header, dates more than ten years
/// back are birthdays; a year-less date can only be a birthday.
fn refine_dates(values: &[&str], strong: &mut [(FieldType, u32)]) {
    let year_now = birth_date::current_year();
    let (mut old, mut recent, mut yearless) = (0u32, 0u32, 0u32);
    for v in values {
        match birth_date::parse(v) {
            Some(b) => match b.year {
                Some(y) if y <= year_now - 10 => old += 1,
                Some(_) => recent += 1,
                None => yearless += 1,
            },
            None => {
                if birth_date::looks_like_date(v) {
                    recent += 1;
                }
            }
        }
    }
    for (f, v) in strong.iter_mut() {
        match f {
            FieldType::Birthday => *v = old + yearless,
            FieldType::LastActivity => *v = recent,
            _ => {}
        }
    }
}

/// What the sampled values say about `for_type`, for the sentence that explains a guess (worded in
/// `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleVerdict {
    /// Nothing to sample.
    NoValues,
    /// `valid` of `sampled` values are valid values of the type (a strong validator).
    Valid,
    /// `valid` of `sampled` values look like values of the type (a weak validator).
    LookLike,
    /// The type has no validator: the values say nothing.
    Silent,
}

impl Evidence {
    /// What the samples say (see [`SampleVerdict`]).
    pub fn sample_verdict(&self) -> SampleVerdict {
        if self.sampled == 0 {
            return SampleVerdict::NoValues;
        }
        match strength(self.for_type) {
            Strength::Strong => SampleVerdict::Valid,
            Strength::Weak => SampleVerdict::LookLike,
            Strength::None => SampleVerdict::Silent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Message};
    use proptest::prelude::*;

    #[test]
    fn header_normalisation() {
        assert_eq!(normalize_header(" 手机号码（必填）* "), "手机号码");
        assert_eq!(normalize_header("Phone Number"), "phonenumber");
        assert_eq!(normalize_header("ＱＱ号"), "qq号");
        assert_eq!(normalize_header("[选填]备注"), "备注");
        assert_eq!(normalize_header("E-mail"), "email");
    }

    #[test]
    fn headers() {
        let m = |h: &str| match_header(h).map(|m| (m.field, m.exact));
        assert_eq!(m("手机号"), Some((FieldType::Mobile, true)));
        assert_eq!(m("联系电话（必填）"), Some((FieldType::Mobile, true)));
        assert_eq!(m("收件人手机"), Some((FieldType::Mobile, true)));
        assert_eq!(
            m("收件人联系手机"),
            Some((FieldType::Mobile, false)),
            "head-final: 手机"
        );
        assert_eq!(m("会员姓名"), Some((FieldType::Name, true)));
        assert_eq!(m("客户姓名*"), Some((FieldType::Name, true)));
        assert_eq!(m("身份证号码"), Some((FieldType::IdCard, true)));
        assert_eq!(m("卡号"), Some((FieldType::MemberNumber, true)));
        assert_eq!(m("银行卡号"), Some((FieldType::BankCard, true)));
        assert_eq!(m("储值余额(元)"), Some((FieldType::PrepaidBalance, true)));
        assert_eq!(m("最后到店时间"), Some((FieldType::LastActivity, true)));
        assert_eq!(m("地址备注"), Some((FieldType::Notes, false)));
        assert_eq!(m("客户地址"), Some((FieldType::Address, false)));
        assert_eq!(m("Tracking Number"), Some((FieldType::Waybill, true)));
        assert_eq!(m("E-mail"), Some((FieldType::Email, true)));
        assert_eq!(m("valid"), None, "short ASCII synonyms only match exactly");
        assert_eq!(m("列3"), None);
        assert_eq!(m(""), None);
        for f in FieldType::ALL {
            for s in header_synonyms(f) {
                assert_eq!(
                    normalize_header(s),
                    *s,
                    "synonyms are stored normalised: {s}"
                );
                assert_eq!(
                    match_header(s).map(|m| m.field),
                    Some(f),
                    "synonym {s} is ambiguous"
                );
            }
        }
    }

    fn mobiles(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("139{:08}", i * 7919 % 100_000_000))
            .collect()
    }

    #[test]
    fn values_decide_without_a_header() {
        let v = mobiles(1000);
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        let g = classify_column("列3", &refs);
        assert_eq!(g.field, FieldType::Mobile);
        assert!(g.confidence > 0.9);
        assert_eq!((g.evidence.valid, g.evidence.sampled), (1000, 1000));
        assert_eq!(
            g.evidence.message(Lang::ZhCn),
            "抽样 1000 个值中 1000 个是有效手机号"
        );
        assert_eq!(
            g.evidence.message(Lang::En),
            "1000/1000 sampled values are valid mobile numbers"
        );
    }

    #[test]
    fn header_and_values_together() {
        let mut v = mobiles(998);
        v.push("无".into());
        v.push("1381234".into());
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        let g = classify_column("联系电话", &refs);
        assert_eq!(g.field, FieldType::Mobile);
        assert_eq!(
            g.evidence.message(Lang::ZhCn),
            "表头“联系电话”；抽样 1000 个值中 998 个是有效手机号"
        );
        assert_eq!(
            g.evidence.message(Lang::En),
            "header 联系电话; 998/1000 sampled values are valid mobile numbers"
        );

        // 电话 holding landlines is a landline column.
        let l: Vec<String> = (0..50).map(|i| format!("0755-8{:07}", i * 7)).collect();
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let g = classify_column("电话", &refs);
        assert_eq!(g.field, FieldType::Landline);

        // A header with weak value evidence keeps the header's type.
        let g = classify_column("姓名", &["张三", "李四", "Tom", "王小明"]);
        assert_eq!(g.field, FieldType::Name);
        assert!(g.confidence > 0.8);

        // 联系电话 over mostly landlines with some mobiles: a landline column; over mostly mobiles: mobile.
        let mixed: Vec<String> = (0..20)
            .map(|i| {
                if i % 4 == 0 {
                    format!("1390000{:04}", i)
                } else {
                    format!("(021)6{:07}转{}", i * 13, 100 + i)
                }
            })
            .collect();
        let refs: Vec<&str> = mixed.iter().map(String::as_str).collect();
        let g = classify_column("联系电话", &refs);
        assert_eq!(g.field, FieldType::Landline);
        assert_eq!(g.evidence.valid, 15);
        let refs: Vec<&str> = mixed
            .iter()
            .skip(1)
            .step_by(4)
            .map(String::as_str)
            .collect();
        let mut more_mobiles: Vec<&str> = refs.clone();
        let m = mobiles(10);
        more_mobiles.extend(m.iter().map(String::as_str));
        assert_eq!(
            classify_column("联系电话", &more_mobiles).field,
            FieldType::Mobile
        );

        // 客户名称 over firms: not a person's name but an organisation's. Over people: a name.
        let firms = [
            "北京华信商贸有限公司",
            "成都鑫源建材经营部",
            "老王五金店",
            "杭州东方科技有限公司",
        ];
        let g = classify_column("客户名称", &firms);
        assert_eq!(g.field, FieldType::OrganisationName);
        assert_eq!(
            g.evidence.message(Lang::ZhCn),
            "表头“客户名称”；抽样 4 个值中 0 个像姓名"
        );
        assert_eq!(
            classify_column("客户名称", &["张伟", "李秀英", "王记五金店"]).field,
            FieldType::Name
        );

        // The business's own dates are not the customer's (a parcel's arrival at the station is its own
        // field); a phone column under a bookkeeping header still is a phone column.
        assert_eq!(
            classify_column("入库时间", &["2025-03-07 10:30", "2025-03-08 09:12"]).field,
            FieldType::ParcelArrivalTime
        );
        let m = mobiles(20);
        let refs: Vec<&str> = m.iter().map(String::as_str).collect();
        assert_eq!(classify_column("状态", &refs).field, FieldType::Mobile);
        assert_eq!(
            classify_column("预付款", &["1,280.00", "¥30", "0"]).field,
            FieldType::PrepaidBalance
        );

        // The header says ID, the values are mostly not: still ID, with low confidence.
        let g = classify_column("身份证号", &["无", "未登记", "11010519491231002X"]);
        assert_eq!(g.field, FieldType::IdCard);
        assert!(g.confidence < 0.6);
    }

    #[test]
    fn other_columns() {
        let notes = [
            "老客户，喜欢周末来取件",
            "电话打不通，改天再联系",
            "已退卡，余额退回",
        ];
        assert_eq!(classify_column("", &notes).field, FieldType::Notes);
        let addrs = [
            "广东省深圳市南山区科技园南路12号",
            "北京市朝阳区建设路8号",
            "杭州市西湖区文三路90号",
        ];
        assert_eq!(classify_column("col", &addrs).field, FieldType::Address);
        assert_eq!(
            classify_column("x", &["1990-03-07", "1985/12/1", "19700101"]).field,
            FieldType::Birthday
        );
        assert_eq!(
            classify_column("x", &["2024-03-07", "2023/12/1 10:30"]).field,
            FieldType::LastActivity
        );
        assert_eq!(
            classify_column("x", &["男", "女", "女"]).field,
            FieldType::Gender
        );
        assert_eq!(
            classify_column("x", &["顺丰", "中通", "韵达"]).field,
            FieldType::CourierCompany
        );
        assert_eq!(
            classify_column("x", &["3-2-1024", "12-5-3011"]).field,
            FieldType::PickupCode
        );
        let g = classify_column("x", &["", " "]);
        assert_eq!((g.field, g.confidence), (FieldType::Other, 0.0));
        assert_eq!(g.evidence.message(Lang::ZhCn), "没有可抽样的值");
        let g = classify_column("备注", &[]);
        assert_eq!(g.field, FieldType::Notes);
        assert_eq!(
            g.evidence.message(Lang::En),
            "header 备注; no values to sample"
        );
        let g = classify_column("x", &["abc", "def"]);
        assert_eq!(g.field, FieldType::Other);
        assert_eq!(g.evidence.message(Lang::ZhCn), "表头和内容都无法判断");
        let json = serde_json::to_value(&g).unwrap();
        assert_eq!(json["field"], "other");
        assert_eq!(json["evidence"]["for_type"], "other");
    }

    #[test]
    fn amounts() {
        for s in ["128", "1,280.50", "¥1,280.00", "￥99.9元", "-5.00"] {
            assert!(is_amount(s), "{s}");
        }
        for s in ["", "1,28", "12.345", "abc", "¥"] {
            assert!(!is_amount(s), "{s}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(h in "\\PC{0,20}", vals in prop::collection::vec("\\PC{0,20}", 0..10)) {
            let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
            let g = classify_column(&h, &refs);
            prop_assert!((0.0..=1.0).contains(&g.confidence));
            prop_assert!(g.evidence.valid <= g.evidence.sampled);
            let _ = g.evidence.message(Lang::ZhCn);
        }
    }
}
