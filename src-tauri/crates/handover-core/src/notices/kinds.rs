//! The notices a handover may need ([`NoticeKind`]), which of them a case's situation calls for, and the
//! forms a notice takes ([`NoticeForm`]). Which customers receive each one is read from the plan
//! (`notices::model`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::case::{BusinessKind, TransferReason};

/// One notice, as a template in `assets/documents/notices/` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// PIPL Art. 22: the recipient's name and contact, purpose and method continue, categories, how to object
    /// or ask for deletion, the Art. 17 items. Merger, division, dissolution with a successor, and the sale of
    /// the whole business (read as Art. 22's "等", to confirm with a lawyer: see the rulebook).
    Art22,
    /// Art. 22 in a bankruptcy: the administrator takes everything over; requests go to it (企业破产法 Art. 25).
    Art22Bankruptcy,
    /// PIPL Art. 23: the request for separate consent when only the list is sold.
    Art23,
    /// Prepaid balances in a merger or division: they pass by law (民法典 Art. 67); refund on request.
    CreditorMerger,
    /// Prepaid balances in a sale: the customer consents to the buyer taking the debt over (民法典 Art. 551) or
    /// is refunded.
    CreditorSale,
    /// Prepaid balances when the business closes without a successor: refund.
    CreditorClosing,
    /// Prepaid balances in a bankruptcy: a claim filed with the administrator.
    CreditorBankruptcy,
    /// A courier station stops: posted ahead (快递暂行条例 Art. 29), how to collect parcels.
    StationClosing,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::Art22,
        NoticeKind::Art22Bankruptcy,
        NoticeKind::Art23,
        NoticeKind::CreditorMerger,
        NoticeKind::CreditorSale,
        NoticeKind::CreditorClosing,
        NoticeKind::CreditorBankruptcy,
        NoticeKind::StationClosing,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NoticeKind::Art22 => "art22",
            NoticeKind::Art22Bankruptcy => "art22-bankruptcy",
            NoticeKind::Art23 => "art23",
            NoticeKind::CreditorMerger => "creditor-merger",
            NoticeKind::CreditorSale => "creditor-sale",
            NoticeKind::CreditorClosing => "creditor-closing",
            NoticeKind::CreditorBankruptcy => "creditor-bankruptcy",
            NoticeKind::StationClosing => "station-closing",
        }
    }

    pub fn from_id(id: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Whether the notice names the recipient (and so needs one).
    pub fn names_recipient(self) -> bool {
        !matches!(
            self,
            NoticeKind::CreditorClosing | NoticeKind::StationClosing
        )
    }

    /// Whether the notice is about a customer's prepaid balance (sent only to customers with one).
    pub fn is_creditor(self) -> bool {
        matches!(
            self,
            NoticeKind::CreditorMerger
                | NoticeKind::CreditorSale
                | NoticeKind::CreditorClosing
                | NoticeKind::CreditorBankruptcy
        )
    }
}

/// The notices a situation calls for, in [`NoticeKind::ALL`] order. `has_recipient` as the plan sees it.
pub fn kinds_for(
    kind: BusinessKind,
    reason: TransferReason,
    has_recipient: bool,
) -> Vec<NoticeKind> {
    let mut out = Vec::new();
    use TransferReason::*;
    // The route for the customer information itself.
    match reason {
        Bankruptcy if has_recipient => out.push(NoticeKind::Art22Bankruptcy),
        SaleList if has_recipient => out.push(NoticeKind::Art23),
        SaleWhole | Merger | Division | Dissolution if has_recipient => out.push(NoticeKind::Art22),
        _ => {}
    }
    // Prepaid balances: the creditor notice (law-notes N: merger and division pass debts by law; a sale needs
    // the creditor's consent; closing refunds; bankruptcy files claims with the administrator).
    out.push(match reason {
        Merger | Division if has_recipient => NoticeKind::CreditorMerger,
        SaleWhole | SaleList if has_recipient => NoticeKind::CreditorSale,
        Bankruptcy if has_recipient => NoticeKind::CreditorBankruptcy,
        _ => NoticeKind::CreditorClosing,
    });
    // A courier station stops serving under its present operator whatever the reason; the list-only sale is
    // the one where it goes on.
    if kind == BusinessKind::CourierStation && reason != SaleList {
        out.push(NoticeKind::StationClosing);
    }
    out.sort();
    out
}

/// The forms of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeForm {
    /// A letter per customer (rendered as PDF/DOCX by the documents crate from the models).
    Letter,
    /// The SMS text, with the 【signature】.
    Sms,
    /// The SMS platform's upload file: phone, name as the notice uses it, text.
    Csv,
    /// The shop-window poster: no personal data.
    Poster,
}

impl NoticeForm {
    pub const ALL: [NoticeForm; 4] = [
        NoticeForm::Letter,
        NoticeForm::Sms,
        NoticeForm::Csv,
        NoticeForm::Poster,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NoticeForm::Letter => "letter",
            NoticeForm::Sms => "sms",
            NoticeForm::Csv => "csv",
            NoticeForm::Poster => "poster",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_situation_gets_a_creditor_notice_and_at_most_one_route() {
        for kind in BusinessKind::ALL {
            for reason in TransferReason::ALL {
                for has in [true, false] {
                    let k = kinds_for(kind, reason, has);
                    assert_eq!(k.iter().filter(|k| k.is_creditor()).count(), 1);
                    let routes = k
                        .iter()
                        .filter(|k| {
                            matches!(
                                k,
                                NoticeKind::Art22 | NoticeKind::Art22Bankruptcy | NoticeKind::Art23
                            )
                        })
                        .count();
                    assert_eq!(routes, usize::from(has), "{kind:?} {reason:?} {has}");
                    if !has {
                        assert!(k.iter().all(|k| !k.names_recipient()));
                    }
                }
            }
        }
        assert_eq!(
            kinds_for(BusinessKind::Shop, TransferReason::Merger, true),
            [NoticeKind::Art22, NoticeKind::CreditorMerger]
        );
        assert_eq!(
            kinds_for(
                BusinessKind::CourierStation,
                TransferReason::SaleWhole,
                true
            ),
            [
                NoticeKind::Art22,
                NoticeKind::CreditorSale,
                NoticeKind::StationClosing
            ]
        );
    }
}
