//! What a column holds: the field types the import mapping offers and classification assigns.
//!
//! The identifiers (`mobile`, `id_card`, …) are part of the CLI's `--json` output and of stored mappings,
//! so they never change once released; new types are only added.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The meaning of one column of a customer list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// A person's name (姓名).
    Name,
    /// Mainland mobile number (手机号).
    Mobile,
    /// Landline with area code (固定电话).
    Landline,
    /// Resident ID number, 18 or 15 digits (身份证号).
    IdCard,
    /// Postal or delivery address (地址).
    Address,
    /// Bank card number (银行卡号).
    BankCard,
    /// E-mail address.
    Email,
    /// QQ number.
    Qq,
    /// WeChat ID (微信号).
    Wechat,
    /// Vehicle licence plate (车牌号).
    Plate,
    /// Courier waybill number (运单号).
    Waybill,
    /// Pickup code at a courier station (取件码).
    PickupCode,
    /// Courier company (快递公司).
    CourierCompany,
    /// Membership number (会员号).
    MemberNumber,
    /// Prepaid balance (储值余额), money.
    PrepaidBalance,
    /// Loyalty points (积分).
    Points,
    /// Date of the last purchase, visit or pickup (最近消费/到店).
    LastActivity,
    /// Date of birth (生日/出生日期).
    Birthday,
    /// Sex (性别).
    Gender,
    /// Free-text notes (备注); scanned for personal information inside.
    Notes,
    /// Anything else; kept as text.
    Other,
    /// Name of a customer that is a firm (客户名称 over firms, 单位名称, 公司名称); a 个体户's name may be a person's.
    OrganisationName,
    /// The person to contact at a customer that is a firm (联系人, 对接人).
    ContactPerson,
    /// The bank and branch of a customer's account (开户行, 开户银行).
    BankBranch,
    /// Money the customer owes the business (欠款, 应收, 应收账款): transaction information, never a prepaid balance.
    AmountOwed,
    /// The amount of one purchase or payment (消费金额, 金额, 实付金额): transaction information, never a prepaid balance.
    TransactionAmount,
    /// The amount of one top-up of a prepaid card (充值金额): transaction information; the balance is [`FieldType::PrepaidBalance`].
    TopUpAmount,
    /// The date of an invoice, voucher or transaction (开票日期, 凭证日期, 交易日期): the date retention periods count from.
    DocumentDate,
    /// When a parcel arrived at the courier station (入库时间, 到件时间).
    ParcelArrivalTime,
    /// When the customer picked a parcel up (取件时间, 签收时间).
    PickupTime,
    /// The state of a parcel at the station (待取件, 已取件, 滞留件, 退回…).
    ParcelStatus,
}

impl FieldType {
    /// Every field type, in the order the mapping screen lists them.
    pub const ALL: [FieldType; 31] = [
        FieldType::Name,
        FieldType::Mobile,
        FieldType::Landline,
        FieldType::IdCard,
        FieldType::Address,
        FieldType::BankCard,
        FieldType::Email,
        FieldType::Qq,
        FieldType::Wechat,
        FieldType::Plate,
        FieldType::Waybill,
        FieldType::PickupCode,
        FieldType::CourierCompany,
        FieldType::MemberNumber,
        FieldType::PrepaidBalance,
        FieldType::Points,
        FieldType::LastActivity,
        FieldType::Birthday,
        FieldType::Gender,
        FieldType::Notes,
        FieldType::Other,
        FieldType::OrganisationName,
        FieldType::ContactPerson,
        FieldType::BankBranch,
        FieldType::AmountOwed,
        FieldType::TransactionAmount,
        FieldType::TopUpAmount,
        FieldType::DocumentDate,
        FieldType::ParcelArrivalTime,
        FieldType::PickupTime,
        FieldType::ParcelStatus,
    ];

    /// The stable identifier used in JSON and in stored mappings.
    pub fn id(self) -> &'static str {
        match self {
            FieldType::Name => "name",
            FieldType::Mobile => "mobile",
            FieldType::Landline => "landline",
            FieldType::IdCard => "id_card",
            FieldType::Address => "address",
            FieldType::BankCard => "bank_card",
            FieldType::Email => "email",
            FieldType::Qq => "qq",
            FieldType::Wechat => "wechat",
            FieldType::Plate => "plate",
            FieldType::Waybill => "waybill",
            FieldType::PickupCode => "pickup_code",
            FieldType::CourierCompany => "courier_company",
            FieldType::MemberNumber => "member_number",
            FieldType::PrepaidBalance => "prepaid_balance",
            FieldType::Points => "points",
            FieldType::LastActivity => "last_activity",
            FieldType::Birthday => "birthday",
            FieldType::Gender => "gender",
            FieldType::Notes => "notes",
            FieldType::Other => "other",
            FieldType::OrganisationName => "organisation_name",
            FieldType::ContactPerson => "contact_person",
            FieldType::BankBranch => "bank_branch",
            FieldType::AmountOwed => "amount_owed",
            FieldType::TransactionAmount => "transaction_amount",
            FieldType::TopUpAmount => "top_up_amount",
            FieldType::DocumentDate => "document_date",
            FieldType::ParcelArrivalTime => "parcel_arrival_time",
            FieldType::PickupTime => "pickup_time",
            FieldType::ParcelStatus => "parcel_status",
        }
    }

    /// The bits ([`FieldType::bit`]) of every field for which `pred` holds: the set a `records.pii_mask` is
    /// tested against (a category's fields, the sensitive ones…).
    pub fn bits_where(pred: impl Fn(FieldType) -> bool) -> u32 {
        FieldType::ALL
            .into_iter()
            .filter(|f| pred(*f))
            .fold(0, |m, f| m | f.bit())
    }

    /// This field's bit in a set of field types, such as `records.pii_mask` (which kinds of personal
    /// information a record carries). Stored in case files, so a value never changes once released; new
    /// types take new bits.
    pub fn bit(self) -> u32 {
        match self {
            FieldType::Name => 1 << 0,
            FieldType::Mobile => 1 << 1,
            FieldType::Landline => 1 << 2,
            FieldType::IdCard => 1 << 3,
            FieldType::Address => 1 << 4,
            FieldType::BankCard => 1 << 5,
            FieldType::Email => 1 << 6,
            FieldType::Qq => 1 << 7,
            FieldType::Wechat => 1 << 8,
            FieldType::Plate => 1 << 9,
            FieldType::Waybill => 1 << 10,
            FieldType::PickupCode => 1 << 11,
            FieldType::CourierCompany => 1 << 12,
            FieldType::MemberNumber => 1 << 13,
            FieldType::PrepaidBalance => 1 << 14,
            FieldType::Points => 1 << 15,
            FieldType::LastActivity => 1 << 16,
            FieldType::Birthday => 1 << 17,
            FieldType::Gender => 1 << 18,
            FieldType::Notes => 1 << 19,
            FieldType::Other => 1 << 20,
            FieldType::OrganisationName => 1 << 21,
            FieldType::ContactPerson => 1 << 22,
            FieldType::BankBranch => 1 << 23,
            FieldType::AmountOwed => 1 << 24,
            FieldType::TransactionAmount => 1 << 25,
            FieldType::TopUpAmount => 1 << 26,
            FieldType::DocumentDate => 1 << 27,
            FieldType::ParcelArrivalTime => 1 << 28,
            FieldType::PickupTime => 1 << 29,
            FieldType::ParcelStatus => 1 << 30,
        }
    }

    /// The field types whose bits are set in `mask`, in [`FieldType::ALL`] order.
    pub fn from_mask(mask: u32) -> Vec<FieldType> {
        FieldType::ALL
            .into_iter()
            .filter(|f| mask & f.bit() != 0)
            .collect()
    }

    /// Parses a stable identifier back.
    pub fn from_id(id: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|f| f.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        for f in FieldType::ALL {
            assert_eq!(FieldType::from_id(f.id()), Some(f));
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.id())
            );
        }
    }

    #[test]
    fn bits_are_pinned() {
        // These values are stored in case files (records.pii_mask): they must never change.
        let expected = [
            (FieldType::Name, 1),
            (FieldType::Mobile, 2),
            (FieldType::Landline, 4),
            (FieldType::IdCard, 8),
            (FieldType::Address, 16),
            (FieldType::BankCard, 32),
            (FieldType::Email, 64),
            (FieldType::Qq, 128),
            (FieldType::Wechat, 256),
            (FieldType::Plate, 512),
            (FieldType::Waybill, 1024),
            (FieldType::PickupCode, 2048),
            (FieldType::CourierCompany, 4096),
            (FieldType::MemberNumber, 8192),
            (FieldType::PrepaidBalance, 16384),
            (FieldType::Points, 32768),
            (FieldType::LastActivity, 65536),
            (FieldType::Birthday, 131072),
            (FieldType::Gender, 262144),
            (FieldType::Notes, 524288),
            (FieldType::Other, 1048576),
            (FieldType::OrganisationName, 2097152),
            (FieldType::ContactPerson, 4194304),
            (FieldType::BankBranch, 8388608),
            (FieldType::AmountOwed, 16777216),
            (FieldType::TransactionAmount, 33554432),
            (FieldType::TopUpAmount, 67108864),
            (FieldType::DocumentDate, 134217728),
            (FieldType::ParcelArrivalTime, 268435456),
            (FieldType::PickupTime, 536870912),
            (FieldType::ParcelStatus, 1073741824),
        ];
        assert_eq!(expected.len(), FieldType::ALL.len());
        let mut seen = 0u32;
        for (f, bit) in expected {
            assert_eq!(f.bit(), bit, "{f:?}");
            assert_eq!(seen & bit, 0, "{f:?} shares a bit");
            seen |= bit;
        }
        let mask = FieldType::Mobile.bit() | FieldType::IdCard.bit() | FieldType::Notes.bit();
        assert_eq!(
            FieldType::from_mask(mask),
            vec![FieldType::Mobile, FieldType::IdCard, FieldType::Notes]
        );
    }
}
