//! `handover status --json` after an import: the personal-information counts, categories, sensitive
//! customers, minors and free-text findings, exactly, for a small hand-written shop list.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn handover() -> std::process::Command {
    handover_tests::handover_command()
}

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    let out = handover()
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "王记便利店",
            "--buyer",
            "李四",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    case
}

fn run_json(args: &[&str], case: &Path) -> Value {
    let out = handover_tests::run_ok(handover().args(args).arg(case));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn status_json_counts_personal_information_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let v = run_json(&["status", "--json", "--case"], &case);
    assert_eq!(v["customers"], 3, "{v:#}");
    assert_eq!(v["records"], 4);
    // Cells per kind: valid values in mapped columns plus finds inside notes.
    assert_eq!(v["pii"]["name"], 4, "{v:#}");
    assert_eq!(v["pii"]["mobile"], 5, "4 in the column, 1 in a note: {v:#}");
    assert_eq!(v["pii_detail"]["mobile"]["column_cells"], 4);
    assert_eq!(v["pii_detail"]["mobile"]["text_findings"], 1);
    assert_eq!(v["pii"]["id_card"], 2);
    assert!(
        v["pii"].get("prepaid_balance").is_none(),
        "a balance is not a kind of personal information"
    );
    assert_eq!(v["pii_detail"]["address"]["text_findings"], 1, "{v:#}");
    assert!(v["pii"].get("bank_card").is_none(), "{v:#}");
    assert_eq!(v["free_text_findings"], 2);
    assert_eq!(v["records_with_free_text_findings"], 1);
    // Customers: 张伟 (ID number and balance), 李娜 (phone, address in notes), 王小明 (ID number, under 14).
    assert_eq!(v["categories"]["basic"], 3);
    assert_eq!(
        v["categories"]["transaction"], 2,
        "balances of 张伟 and 王小明: {v:#}"
    );
    assert_eq!(
        v["categories"]["preference"], 2,
        "notes of 张伟 and 李娜: {v:#}"
    );
    assert_eq!(v["sensitive_customers"], 2);
    assert_eq!(v["sensitivity"]["sensitive"], 2);
    assert_eq!(v["sensitivity"]["general"], 1);
    assert_eq!(v["minors"], 1);
    assert_eq!(v["minors_counted_on"], "2026-12-31");
    assert_eq!(v["mask_style"], "standard");
}

#[test]
fn a_case_without_imports_reports_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let v = run_json(&["status", "--json", "--case"], &case);
    assert_eq!(v["customers"], 0);
    assert_eq!(v["pii"], serde_json::json!({}));
    assert_eq!(v["sensitive_customers"], 0);
    assert_eq!(v["minors"], 0);
    assert_eq!(v["free_text_findings"], 0);
}

/// The owner corrects a column after the import: the records are derived again from their original cells
/// (customers relinked, counts and free-text findings redone), the correction is audited, and correcting it
/// back restores the first reading exactly.
#[test]
fn correcting_a_column_reclassifies_every_record_and_is_audited() {
    use handover_core::classification;
    use handover_core::field::FieldType;
    use handover_core::i18n::Localize;
    use handover_core::store::{Actor, Case};
    use handover_core::Lang;

    let dir = tempfile::tempdir().unwrap();
    let case_path = new_case(dir.path());
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case_path)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let before = run_json(&["status", "--json", "--case"], &case_path);

    let case = Case::open(&case_path, handover_tests::PASSPHRASE).unwrap();
    let actor = Actor("测试".into());
    // The mobile column (second) read as "other": its numbers are now only found as free text.
    let r = classification::reclassify_column(&case, 1, 1, FieldType::Other, &actor, Lang::ZhCn)
        .unwrap();
    assert_eq!(
        (r.from, r.to, r.records),
        (FieldType::Mobile, FieldType::Other, 4)
    );
    let s = classification::case_summary(&case).unwrap();
    // 张伟's two rows no longer share a key (only the first has an ID number): 4 customers, none orphaned.
    assert_eq!(s.customers, 4);
    let mobile = &s.pii["mobile"];
    assert_eq!((mobile.column_cells, mobile.text_findings), (0, 5));
    assert_eq!(
        s.free_text_findings, 6,
        "4 phones in the former mobile column, a phone and an address in notes"
    );
    assert_eq!(s.minors, 1);
    let review = case
        .read(|db| classification::column_review(db, 1, 1))
        .unwrap()
        .localized(Lang::ZhCn);
    assert_eq!(review.field, FieldType::Other);
    assert_eq!(
        review.suggested,
        FieldType::Mobile,
        "the classifier still sees mobiles: {}",
        review.evidence
    );
    assert!(review
        .samples
        .iter()
        .all(|x| !x.masked.contains("13812345678")));

    // Back to mobile: the first reading again.
    classification::reclassify_column(&case, 1, 1, FieldType::Mobile, &actor, Lang::ZhCn).unwrap();
    let entries = case.audit_entries().unwrap();
    let corrections: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "classification.correct")
        .collect();
    assert_eq!(corrections.len(), 2);
    assert!(
        corrections[0].detail.contains("\"from\":\"mobile\"")
            && corrections[0].detail.contains("\"to\":\"other\"")
    );
    assert!(
        !corrections[0].detail.contains("1381234"),
        "the audit log names the column, never a customer's data"
    );
    case.close().unwrap();
    let after = run_json(&["status", "--json", "--case"], &case_path);
    for key in [
        "customers",
        "records",
        "pii",
        "pii_detail",
        "categories",
        "sensitive_customers",
        "minors",
        "free_text_findings",
    ] {
        assert_eq!(after[key], before[key], "{key} after correcting back");
    }
    // The hash chain holds across the corrections.
    let verified = run_json(&["audit", "--verify", "--json", "--case"], &case_path);
    assert_eq!(verified["ok"], true, "{verified}");
}

/// The customer table's filters on a real import and plan: by category and sensitivity (from what the
/// import found) and by outcome (from the stored plan), searched by phone, and never showing a full value.
#[test]
fn the_customer_table_filters_by_category_sensitivity_and_outcome() {
    use handover_core::customer_table::{
        customer_count, customer_page, CustomerFilter, PageRequest,
    };
    use handover_core::detect::category::{Category, Sensitivity};
    use handover_core::rules::Outcome;
    use handover_core::store::Case;

    let dir = tempfile::tempdir().unwrap();
    let case_path = new_case(dir.path());
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case_path)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = handover()
        .args(["plan", "--json", "--case"])
        .arg(&case_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let case = Case::open(&case_path, handover_tests::PASSPHRASE).unwrap();
    case.read(|conn| {
        let names = |f: CustomerFilter| -> Vec<String> {
            assert_eq!(
                customer_count(conn, &f).unwrap() as usize,
                customer_page(
                    conn,
                    &f,
                    PageRequest {
                        after_id: 0,
                        limit: 50
                    }
                )
                .unwrap()
                .rows
                .len()
            );
            customer_page(
                conn,
                &f,
                PageRequest {
                    after_id: 0,
                    limit: 50,
                },
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.name.unwrap_or_default(),
                    r.mobile.unwrap_or_default()
                )
            })
            .collect()
        };
        let f = |category, sensitivity, outcome| CustomerFilter {
            category,
            sensitivity,
            outcome,
            ..Default::default()
        };
        assert_eq!(
            names(f(None, None, None)),
            ["张* 138****5678", "李* 139****5678", "王*明 136****5678"]
        );
        assert_eq!(
            names(f(None, Some(Sensitivity::Sensitive), None)),
            ["张* 138****5678", "王*明 136****5678"]
        );
        assert_eq!(
            names(f(None, Some(Sensitivity::General), None)),
            ["李* 139****5678"]
        );
        assert_eq!(
            names(f(Some(Category::Transaction), None, None)),
            ["张* 138****5678", "王*明 136****5678"]
        );
        assert_eq!(
            names(f(Some(Category::Preference), None, None)),
            ["张* 138****5678", "李* 139****5678"]
        );
        assert_eq!(
            names(f(None, None, Some(Outcome::Blocked))),
            ["张* 138****5678", "王*明 136****5678"]
        );
        assert_eq!(
            names(f(None, None, Some(Outcome::Transfer))),
            ["李* 139****5678"]
        );
        assert!(names(f(None, None, Some(Outcome::Delete))).is_empty());
        let search = CustomerFilter {
            search: Some("139".into()),
            ..Default::default()
        };
        assert_eq!(names(search), ["李* 139****5678"]);
        let both = CustomerFilter {
            search: Some("138".into()),
            outcome: Some(Outcome::Blocked),
            ..Default::default()
        };
        assert_eq!(names(both), ["张* 138****5678"]);
        Ok(())
    })
    .unwrap();
}

/// The overview is kept in the case until the next change to the records: asking again (a new opening)
/// reads it back, an import by another connection — the CLI while the app has the case open — makes the
/// next overview count again, with the new rows, and so does a corrected column; a customer's consent does
/// not.
#[test]
fn the_overview_is_kept_until_the_next_change() {
    use handover_core::classification;
    use handover_core::store::Case;

    let dir = tempfile::tempdir().unwrap();
    let case_path = new_case(dir.path());
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let import = |file: &Path| {
        handover_tests::run_ok(
            handover()
                .args(["import", "--json", "--case"])
                .arg(&case_path)
                .arg(file),
        );
    };
    import(&csv);
    let kept = |case: &Case| -> i64 {
        case.read(|db| {
            Ok(db.query_row(
                "SELECT count(*) FROM derived_cache WHERE kind = 'overview'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap()
    };
    let first = run_json(&["status", "--json", "--case"], &case_path);
    let case = Case::open(&case_path, handover_tests::PASSPHRASE).unwrap();
    assert_eq!(kept(&case), 1, "the first overview is kept");
    assert_eq!(run_json(&["status", "--json", "--case"], &case_path), first);
    let before = classification::case_summary(&case).unwrap();
    assert_eq!(before.customers, first["customers"].as_u64().unwrap());

    // Another connection imports more rows while this one has the case open.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "姓名,手机号\n赵六,13900001111\n钱七,13900002222\n").unwrap();
    import(&more);
    assert_eq!(kept(&case), 0, "the import dropped the kept overview");
    let after = classification::case_summary(&case).unwrap();
    assert_eq!(after.customers, before.customers + 2);
    assert_eq!(after.records, before.records + 2);
    assert_eq!(kept(&case), 1, "kept again");

    // A change that leaves the records alone (a customer's consent, a checklist answer) keeps it: the next
    // opening does not count every record again. A correction of a column's classification drops it.
    let customer = after.customers.to_string();
    drop(case);
    run_json(
        &[
            "set",
            "--json",
            "--customer",
            &customer,
            "--consent",
            "yes",
            "--case",
        ],
        &case_path,
    );
    let case = Case::open(&case_path, handover_tests::PASSPHRASE).unwrap();
    assert_eq!(kept(&case), 1, "a consent leaves the overview kept");
    let actor = handover_core::store::Actor("test:overview".into());
    classification::reclassify_column(
        &case,
        1,
        1,
        handover_core::field::FieldType::Other,
        &actor,
        handover_core::Lang::ZhCn,
    )
    .unwrap();
    assert_eq!(kept(&case), 0, "a corrected column drops it");
    let corrected = classification::case_summary(&case).unwrap();
    assert_ne!(corrected, after, "counted again, with the column corrected");
    drop(case);
    let v = run_json(&["status", "--json", "--case"], &case_path);
    assert_eq!(v["customers"].as_u64().unwrap(), corrected.customers);
}

/// A valid ID number issued in Beijing (110101) for someone born on `birth` (YYYYMMDD), sequence `seq`.
fn id_number(birth: &str, seq: u32) -> String {
    let first17 = format!("110101{birth}{:03}", seq % 1000);
    let check = handover_core::detect::id_card::check_digit(first17.as_bytes()).unwrap();
    format!("{first17}{}", check as char)
}

/// An opening that counts the records does so on two connections, half each (issue 17): customers whose records
/// fall in both halves, and minors found only in the upper half by a birthday, by an ID column or by an ID in
/// a note, must come out exactly as one pass on one connection counts them.
#[test]
fn the_overview_counted_in_two_halves_equals_one_pass() {
    use handover_core::classification;
    use handover_core::store::Case;

    let dir = tempfile::tempdir().unwrap();
    let case_path = new_case(dir.path());
    // 1,500 customers; rows 1,500–1,999 are second records of customers 0–499 (the upper half of the ids),
    // and only they carry a balance, so those customers' transaction bit comes from the upper half alone.
    let mut csv = String::from("手机,姓名,生日,身份证号,余额,备注\n");
    for i in 0..2000u32 {
        let k = i % 1500;
        let second = i >= 1500;
        let birthday = if second && k % 100 == 7 {
            "2016-05-03"
        } else {
            "1980-01-01"
        };
        // Three-digit sequence numbers: customers k and k + 1000 get different birth days.
        let id_birth = if k < 1000 { "20150702" } else { "20150703" };
        let id = if k % 100 == 11 {
            id_number(id_birth, k)
        } else {
            String::new()
        };
        let note = if second && k % 100 == 23 {
            format!("孩子身份证{}", id_number("20140101", k))
        } else {
            String::new()
        };
        let balance = if second { "12.50" } else { "" };
        csv.push_str(&format!(
            "138{:08},客户{k},{birthday},{id},{balance},{note}\n",
            10_000 + k
        ));
    }
    let file = dir.path().join("members.csv");
    std::fs::write(&file, csv).unwrap();
    handover_tests::run_ok(
        handover()
            .args(["import", "--json", "--case"])
            .arg(&case_path)
            .arg(&file),
    );

    let mut case = Case::open(&case_path, handover_tests::PASSPHRASE).unwrap();
    // The import kept its tally of the overview for 2026-12-31; on another day the overview is counted from
    // the records, on two connections (the ages counted are the same a day earlier).
    let mut details = case.details().unwrap();
    details.handover_date = Some("2026-12-30".parse().unwrap());
    case.update_details(details, &handover_core::store::Actor("test".into()))
        .unwrap();
    let split = classification::case_summary(&case).unwrap();
    assert_eq!(split.reference_date.to_string(), "2026-12-30");
    let one_pass = case
        .read(|db| classification::classification_summary(db, split.reference_date))
        .unwrap();
    assert_eq!(split, one_pass);
    assert_eq!((split.customers, split.records), (1500, 2000));
    // By birthday (second records of 7, 107, …, 407), by ID column (11, 111, …, 1411), by an ID in a note
    // (second records of 23, 123, …, 423).
    assert_eq!(split.minors, 5 + 15 + 5, "{split:#?}");
    assert_eq!(split.minors_in_notes_total, 5);
    assert_eq!(split.categories.transaction, 500);
    assert_eq!(split.sensitive_customers, 25);
}
