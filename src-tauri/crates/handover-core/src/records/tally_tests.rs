//! The overview's tally kept by imports (`records::tally`): after every import it must say exactly what a
//! pass over every record says, and be dropped whenever it could not.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::import_file::{run, ImportRequest, ReadChoices};
use super::tally::{kept_key, read_kept, TALLY_KIND};
use crate::case::{BusinessKind, CaseDetails, Seller, TransferReason};
use crate::classification::{case_summary, classification_summary};
use crate::detect::id_card::check_digit;
use crate::store::{Actor, Case};
use crate::Lang;

fn actor() -> Actor {
    Actor("test".into())
}

fn details(handover: &str) -> CaseDetails {
    CaseDetails {
        kind: BusinessKind::Shop,
        reason: TransferReason::SaleWhole,
        seller: Seller {
            name: "王记便利店".into(),
            ..Seller::default()
        },
        recipient: None,
        handover_date: Some(handover.parse().unwrap()),
        notes: String::new(),
    }
}

fn id_number(birth: &str, seq: u32) -> String {
    let first17 = format!("110101{birth}{:03}", seq % 1000);
    format!(
        "{first17}{}",
        check_digit(first17.as_bytes()).unwrap() as char
    )
}

/// A member list: customers `from..to` by mobile; every 50th with a child's birthday, every 70th with a
/// child's ID number, every 90th with a child's ID in a note, every 3rd with a balance.
fn members(dir: &Path, name: &str, from: u32, to: u32) -> PathBuf {
    let mut csv = String::from("手机,姓名,生日,身份证号,余额,备注\n");
    for k in from..to {
        let birthday = if k % 50 == 0 {
            "2016-05-03"
        } else {
            "1980-01-01"
        };
        let id = if k % 70 == 0 {
            id_number("20150702", k)
        } else {
            String::new()
        };
        let note = if k % 90 == 0 {
            format!("孩子身份证{}", id_number("20140101", k))
        } else {
            String::new()
        };
        let balance = if k % 3 == 0 { "12.50" } else { "" };
        csv.push_str(&format!(
            "138{:08},客户{k},{birthday},{id},{balance},{note}\n",
            10_000 + k
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    path
}

fn import(case: &mut Case, file: &Path, hold: bool) {
    let request = ImportRequest {
        path: file.display().to_string(),
        choices: ReadChoices::default(),
        fields: None,
        allow_duplicate: false,
    };
    run(
        case,
        &request,
        &actor(),
        Lang::ZhCn,
        &AtomicBool::new(false),
        &mut |_| {},
        hold,
    )
    .unwrap();
}

fn kept(case: &Case, on: &str) -> Option<super::tally::RecordTally> {
    case.read(|c| read_kept(c, &kept_key(on.parse::<NaiveDate>().unwrap())))
        .unwrap()
}

fn tally_rows(case: &Case) -> i64 {
    case.read(|c| {
        Ok(c.query_row(
            "SELECT count(*) FROM derived_cache WHERE kind = ?1",
            [TALLY_KIND],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

/// The overview as the case gives it equals one pass over every record.
fn assert_overview_counted_right(case: &Case) -> crate::classification::ClassificationSummary {
    let shown = case_summary(case).unwrap();
    let counted = case
        .read(|c| classification_summary(c, shown.reference_date))
        .unwrap();
    assert_eq!(shown, counted);
    shown
}

#[test]
fn every_import_adds_its_records_to_the_kept_tally() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = Case::create(
        &dir.path().join("c.handover"),
        "Correct-Horse-Battery-9",
        details("2026-12-31"),
        &actor(),
    )
    .unwrap();
    // A first import into an empty case keeps a tally.
    import(&mut case, &members(dir.path(), "a.csv", 0, 600), false);
    assert!(kept(&case, "2026-12-31").is_some());
    let first = assert_overview_counted_right(&case);
    assert_eq!((first.customers, first.records), (600, 600));
    // 12 birthdays, 9 ID numbers, 7 IDs in notes; 0 is all three, and 450 is both a birthday and a note.
    assert_eq!(first.minors, 12 + 9 + 7 - 2 - 1 - 1, "{first:#?}");

    // A second import: customers 300-599 again (their records join them) and 600-899 new.
    import(&mut case, &members(dir.path(), "b.csv", 300, 900), false);
    assert!(kept(&case, "2026-12-31").is_some());
    let second = assert_overview_counted_right(&case);
    assert_eq!((second.customers, second.records), (900, 1200));

    // A discarded import leaves the tally as it was.
    let before = kept(&case, "2026-12-31").unwrap();
    import(&mut case, &members(dir.path(), "c.csv", 850, 1000), true);
    case.discard_import().unwrap();
    assert_eq!(kept(&case, "2026-12-31"), Some(before.clone()));
    assert_eq!(assert_overview_counted_right(&case), second);

    // Another handover date: the tally of the old day does not count minors on the new one, so the next
    // import (records already in the case) keeps none and the next opening counts every record.
    case.update_details(details("2030-05-10"), &actor())
        .unwrap();
    import(&mut case, &members(dir.path(), "d.csv", 850, 1000), false);
    assert_eq!(tally_rows(&case), 0);
    let counted = assert_overview_counted_right(&case);
    assert_eq!(counted.records, 1350);
    assert_ne!(
        counted.minors, second.minors,
        "the birthdays of 2016 are 14 by then"
    );
    // That count is kept for the next import to add to.
    assert!(kept(&case, "2030-05-10").is_some());
    import(&mut case, &members(dir.path(), "e.csv", 990, 1300), false);
    assert!(kept(&case, "2030-05-10").is_some());
    assert_eq!(assert_overview_counted_right(&case).records, 1660);
}
