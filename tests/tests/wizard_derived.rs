//! The checklist items the app answers from its own data (issue 15, point 11), on real case files: each test
//! creates a case, imports a small CSV it writes, computes what the figure needs (the plan, a minimisation
//! choice, replies) and asserts the item's figure, state and sentence in the wizard's review. The last test
//! reads the same through `handover checklist --json`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use handover_core::case::{BusinessKind, CaseDetails, Recipient, Seller, TransferReason};
use handover_core::field::FieldType;
use handover_core::records::import_file::{self, ImportRequest, ReadChoices};
use handover_core::rules::plan::compute_plan;
use handover_core::rules::rulebook;
use handover_core::rules::status::{self, StatusChange};
use handover_core::rules::Answer;
use handover_core::store::{Actor, Case};
use handover_core::wizard::derived::{DataAnswer, Figure, NotYet};
use handover_core::wizard::state::{review, set_item_state, ItemState, Review, ReviewItem};
use handover_core::wizard::StepId;
use handover_testkit::values::id_card;
use handover_tests::{handover_command, raw_connection, PASSPHRASE};
use serde_json::Value;

fn actor() -> Actor {
    Actor("test:owner".into())
}

fn details(kind: BusinessKind) -> CaseDetails {
    CaseDetails {
        kind,
        reason: TransferReason::SaleWhole,
        seller: Seller {
            name: "王记".into(),
            contact: "13800001111".into(),
            responsible_person: "王五".into(),
        },
        recipient: Some(Recipient {
            name: "赵六超市".into(),
            contact: "13900002222".into(),
        }),
        handover_date: NaiveDate::from_ymd_opt(2026, 12, 31),
        notes: String::new(),
    }
}

fn new_case(dir: &Path, kind: BusinessKind) -> Case {
    Case::create(
        &dir.join("case.handover"),
        PASSPHRASE,
        details(kind),
        &actor(),
    )
    .unwrap()
}

fn import(case: &mut Case, dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let request = ImportRequest {
        path: path.display().to_string(),
        choices: ReadChoices::default(),
        fields: None,
        allow_duplicate: false,
    };
    import_file::run(
        case,
        &request,
        &actor(),
        handover_core::Lang::ZhCn,
        &AtomicBool::new(false),
        &mut |_| {},
        false,
    )
    .unwrap();
}

fn plan(case: &Case) {
    compute_plan(
        case,
        rulebook(),
        &actor(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
}

fn item<'a>(r: &'a Review, id: &str) -> &'a ReviewItem {
    r.steps
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.item.id == id)
        .unwrap()
}

fn answer(case: &Case, id: &str) -> (ItemState, DataAnswer) {
    let r = review(case).unwrap();
    let i = item(&r, id);
    (i.progress.state, i.from_data.clone().expect(id))
}

fn id_of(birth: (i32, u32, u32), seq: u16) -> String {
    id_card::compose(
        "110101",
        NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
        seq,
    )
}

/// Four members: one a child of 10 on the handover date, three with balances (¥1,000.50 + ¥200 + ¥34).
fn members() -> String {
    format!(
        "姓名,手机号,身份证号,储值余额,最后消费日期\n\
         张三,13812345601,{},1000.50,2026-11-01\n\
         李四,13812345602,{},200,2026-10-01\n\
         王小明,13812345603,{},34.00,2026-11-20\n\
         赵五,13812345604,{},,2026-09-01\n",
        id_of((1980, 3, 5), 11),
        id_of((1975, 6, 7), 22),
        id_of((2016, 5, 1), 33),
        id_of((1990, 1, 2), 44),
    )
}

#[test]
fn minors_found_are_counted_from_the_imported_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    // Nothing imported: the figure is not known, and the item says to import first (step 2).
    let (state, a) = answer(&case, "classification-minors");
    assert_eq!(state, ItemState::Open);
    assert_eq!(a.not_yet, Some(NotYet::NothingImported));
    assert_eq!(a.go_to, Some(StepId::Inventory));
    assert!(a.note.zh.contains("第2步导入"), "{}", a.note.zh);
    assert!(a.note.en.contains("step 2"), "{}", a.note.en);

    import(&mut case, dir.path(), "会员.csv", &members());
    let (state, a) = answer(&case, "classification-minors");
    assert_eq!(state, ItemState::Done);
    assert_eq!(
        a.figure,
        Some(Figure::Minors {
            minors: 1,
            counted_on: "2026-12-31".into()
        })
    );
    assert!(
        a.note.zh.contains("已发现 1 名未满14周岁的儿童"),
        "{}",
        a.note.zh
    );
    assert!(a.note.zh.contains("2026年12月31日"), "{}", a.note.zh);
    assert!(a.note.en.contains("1 child under 14"), "{}", a.note.en);
    // The owner cannot tick it: the figure answers it.
    let e = set_item_state(
        &mut case,
        "classification-minors",
        ItemState::Done,
        "",
        &actor(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "item_from_app_data");
}

#[test]
fn the_classification_is_counted_per_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    let (state, a) = answer(&case, "classification-categories");
    assert_eq!(state, ItemState::Done);
    let Some(Figure::Columns {
        files,
        columns,
        sensitive,
        ..
    }) = a.figure
    else {
        panic!("{:?}", a.figure)
    };
    assert_eq!((files, columns), (1, 5));
    // The ID number column at least (a balance is not sensitive).
    assert!(sensitive >= 1, "{sensitive}");
    assert!(
        a.note.zh.contains(&format!(
            "1 个文件的 5 列分好类，其中敏感信息 {sensitive} 列"
        )),
        "{}",
        a.note.zh
    );
}

#[test]
fn the_prepaid_total_comes_from_the_plan_and_waits_for_refunds_or_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    // No plan yet: step 5.
    let (state, a) = answer(&case, "decisions-prepaid");
    assert_eq!(state, ItemState::Open);
    assert_eq!(a.not_yet, Some(NotYet::PlanMissing));
    assert_eq!(a.go_to, Some(StepId::Decisions));
    assert!(a.note.zh.contains("计算处理方案"), "{}", a.note.zh);

    plan(&case);
    let (state, a) = answer(&case, "decisions-prepaid");
    let Some(Figure::Prepaid {
        total,
        customers,
        waiting_records,
        ..
    }) = a.figure.clone()
    else {
        panic!("{:?}", a.figure)
    };
    assert_eq!((total.as_str(), customers), ("1234.50", 3));
    assert!(
        a.note.zh.contains("预付余额合计 ¥1,234.50，共 3 位客户"),
        "{}",
        a.note.zh
    );
    assert!(a.note.en.contains("¥1,234.50"), "{}", a.note.en);
    // A whole-shop sale: a balance passes to the new owner only with the customer's consent or is refunded.
    assert!(waiting_records > 0);
    assert_eq!(state, ItemState::Open);
    assert_eq!(a.go_to, Some(StepId::Notices));

    // Every balance settled (two refunded, one consented): done.
    let book = rulebook();
    for (phone, change) in [
        (
            "13812345601",
            StatusChange {
                refunded: Some(true),
                ..StatusChange::default()
            },
        ),
        (
            "13812345602",
            StatusChange {
                consent: Some(Answer::Yes),
                ..StatusChange::default()
            },
        ),
        (
            "13812345603",
            StatusChange {
                refunded: Some(true),
                ..StatusChange::default()
            },
        ),
    ] {
        let customer = case
            .read(|c| status::find_customer_by_phone(c, phone))
            .unwrap();
        status::set_customer_status(&case, book, customer, &change, &actor()).unwrap();
    }
    plan(&case);
    let (state, a) = answer(&case, "decisions-prepaid");
    assert_eq!(state, ItemState::Done, "{}", a.note.zh);
    assert!(a.note.zh.contains("每一笔都已经有了去向"), "{}", a.note.zh);

    // A change after the plan: stale, recompute.
    import(
        &mut case,
        dir.path(),
        "新会员.csv",
        "姓名,手机号,储值余额\n钱七,13812345609,50\n",
    );
    let (state, a) = answer(&case, "decisions-prepaid");
    assert_eq!(
        (state, a.not_yet),
        (ItemState::Open, Some(NotYet::PlanStale))
    );
    assert!(a.note.zh.contains("重新计算"), "{}", a.note.zh);
}

#[test]
fn legal_holds_show_the_days_they_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(
        &mut case,
        dir.path(),
        "发票.csv",
        "发票号码,购买方名称,联系电话,金额,开票日期\n\
         04400001,张三,13812345601,100.00,2021-05-01\n\
         04400002,李四,13812345602,200.00,2023-05-01 10:20\n",
    );
    plan(&case);
    let (state, a) = answer(&case, "decisions-legal-hold");
    assert_eq!(state, ItemState::Done);
    // Tax records: 10 years from the end of the invoice's year.
    assert_eq!(
        a.figure,
        Some(Figure::LegalHold {
            records: 2,
            first_end: Some("2031-12-31".into()),
            last_end: Some("2033-12-31".into()),
        })
    );
    assert!(a.note.zh.contains("依法保留 2 条记录"), "{}", a.note.zh);
    assert!(
        a.note
            .zh
            .contains("最早的保存到2031年12月31日，最晚的保存到2033年12月31日"),
        "{}",
        a.note.zh
    );
}

#[test]
fn parcels_on_the_shelf_are_counted_for_a_courier_station() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::CourierStation);
    import(
        &mut case,
        dir.path(),
        "取件记录.csv",
        "运单号,快递公司,收件人,收件人手机,取件码,状态\n\
         SF1234567890123,顺丰,张三,13812345601,3-2-1001,已取件\n\
         YT1234567890123,圆通,李四,13812345602,3-2-1002,待取件\n\
         YT1234567890124,圆通,王五,13812345603,3-2-1003,滞留件\n",
    );
    plan(&case);
    let (state, a) = answer(&case, "decisions-parcels");
    assert_eq!(state, ItemState::Done);
    assert_eq!(a.figure, Some(Figure::Parcels { parcels: 2 }));
    assert!(
        a.note.zh.contains("待退回快递公司的包裹 2 件"),
        "{}",
        a.note.zh
    );
    assert!(a.note.en.contains("2 parcels"), "{}", a.note.en);
    // A station holds no prepaid balances: that item does not apply and reads no figure.
    let r = review(&case).unwrap();
    let prepaid = item(&r, "decisions-prepaid");
    assert!(!prepaid.item.applies);
    assert!(prepaid.from_data.is_none());
}

#[test]
fn the_fields_kept_are_the_owners_saved_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    let (state, a) = answer(&case, "minimisation-fields");
    assert_eq!(
        (state, a.not_yet),
        (ItemState::Open, Some(NotYet::FieldsNotChosen))
    );
    assert_eq!(a.go_to, Some(StepId::Minimisation));
    status::set_minimisation(
        &case,
        &[
            FieldType::Name,
            FieldType::Mobile,
            FieldType::PrepaidBalance,
        ],
        &actor(),
    )
    .unwrap();
    let (state, a) = answer(&case, "minimisation-fields");
    assert_eq!(state, ItemState::Done);
    let Some(Figure::FieldsKept { fields }) = &a.figure else {
        panic!("{:?}", a.figure)
    };
    assert_eq!(fields.len(), 3);
    assert!(a.note.zh.contains("已确认交出这 3 类信息"), "{}", a.note.zh);
    assert!(a.note.zh.contains("手机号"), "{}", a.note.zh);
}

#[test]
fn consents_recorded_wait_for_the_guardian_of_a_child() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    plan(&case);
    // The child's record moves only with a guardian's consent: one customer waits.
    let (state, a) = answer(&case, "consent-records");
    let Some(Figure::Replies {
        answers,
        waiting_customers,
    }) = a.figure.clone()
    else {
        panic!("{:?}", a.figure)
    };
    assert_eq!(waiting_customers, 1);
    assert_eq!(answers.answers(), 0);
    assert_eq!((state, a.go_to), (ItemState::Open, Some(StepId::Notices)));
    assert!(a.note.zh.contains("还有 1 位客户要先同意"), "{}", a.note.zh);

    let book = rulebook();
    let child = case
        .read(|c| status::find_customer_by_phone(c, "13812345603"))
        .unwrap();
    let objector = case
        .read(|c| status::find_customer_by_phone(c, "13812345604"))
        .unwrap();
    status::set_customer_status(
        &case,
        book,
        child,
        &StatusChange {
            guardian_consent: Some(Answer::Yes),
            ..StatusChange::default()
        },
        &actor(),
    )
    .unwrap();
    status::set_customer_status(
        &case,
        book,
        objector,
        &StatusChange {
            objection: Some(true),
            ..StatusChange::default()
        },
        &actor(),
    )
    .unwrap();
    plan(&case);
    let (state, a) = answer(&case, "consent-records");
    assert_eq!(state, ItemState::Done, "{}", a.note.zh);
    let Some(Figure::Replies {
        answers,
        waiting_customers,
    }) = a.figure.clone()
    else {
        panic!("{:?}", a.figure)
    };
    assert_eq!(
        (
            answers.guardian_consented,
            answers.objected,
            waiting_customers
        ),
        (1, 1, 0)
    );
    assert!(a.note.zh.contains("监护人同意 1"), "{}", a.note.zh);
}

#[test]
fn with_every_figure_answered_and_the_rest_ticked_the_final_summary_may_be_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    // Adults without balances: nobody's consent or refund is awaited on a whole-shop sale.
    import(
        &mut case,
        dir.path(),
        "会员.csv",
        &format!(
            "姓名,手机号,身份证号,最后消费日期\n张三,13812345601,{},2026-11-01\n李四,13812345602,{},2026-10-01\n",
            id_of((1980, 3, 5), 11),
            id_of((1975, 6, 7), 22)
        ),
    );
    status::set_minimisation(&case, &[FieldType::Name, FieldType::Mobile], &actor()).unwrap();
    plan(&case);
    let by_hand: Vec<String> = review(&case)
        .unwrap()
        .open_blocking
        .iter()
        .map(|o| o.item_id.clone())
        .filter(|id| {
            handover_core::wizard::wizard()
                .item(id)
                .is_some_and(|(_, i)| i.derived_from.is_none())
        })
        .collect();
    for id in &by_hand {
        set_item_state(&mut case, id, ItemState::Done, "", &actor()).unwrap();
    }
    // Still not final: the questions about the recipient's purpose and whereabouts are unanswered.
    let r = review(&case).unwrap();
    let open: Vec<&str> = r.open_blocking.iter().map(|o| o.item_id.as_str()).collect();
    assert_eq!(open, ["case-purpose-change", "case-cross-border"]);
    assert!(!r.can_print_final);
    case.set_facts(
        handover_core::case::CaseFacts {
            purpose_change: Some(false),
            cross_border: Some(false),
            ..handover_core::case::CaseFacts::default()
        },
        &actor(),
    )
    .unwrap();
    // The answers change the situation the plan was computed for: recomputed, every figure answers its item.
    plan(&case);
    let r = review(&case).unwrap();
    assert!(r.open_blocking.is_empty(), "{:?}", r.open_blocking);
    assert!(r.can_print_final);
    for id in [
        "classification-categories",
        "classification-minors",
        "minimisation-fields",
        "decisions-legal-hold",
        "decisions-prepaid",
        "consent-records",
    ] {
        let i = item(&r, id);
        assert_eq!(i.progress.state, ItemState::Done, "{id}");
        assert!(i.from_data.as_ref().unwrap().answered, "{id}");
    }
    assert!(item(&r, "decisions-prepaid")
        .from_data
        .as_ref()
        .unwrap()
        .note
        .zh
        .contains("没有客户有储值余额"));
}

/// The kinds of figure kept in the case (`derived_cache`), read beside the app as a raw SQL tool would.
fn kept(case: &Case) -> Vec<String> {
    let conn = raw_connection(case.path(), PASSPHRASE);
    let mut stmt = conn
        .prepare("SELECT kind FROM derived_cache ORDER BY kind")
        .unwrap();
    let kinds = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    kinds
}

#[test]
fn a_ticked_item_keeps_the_kept_figures_and_a_change_of_the_data_drops_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    plan(&case);
    // The review works the figures out once and keeps them: the overview (with the import's tally of it) and the
    // plan's figures.
    let first = review(&case).unwrap();
    assert_eq!(
        kept(&case),
        ["checklist.plan", "overview", "overview-tally"]
    );
    // Ticking an item, writing a note, moving on: the wizard's own answers, which no figure reads.
    set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor()).unwrap();
    handover_core::wizard::state::set_item_note(
        &mut case,
        "decisions-prepaid",
        "先问会员",
        &actor(),
    )
    .unwrap();
    assert_eq!(
        kept(&case),
        ["checklist.plan", "overview", "overview-tally"]
    );
    let again = review(&case).unwrap();
    assert_eq!(
        item(&again, "decisions-prepaid").from_data,
        item(&first, "decisions-prepaid").from_data
    );
    // A customer's refund changes what the plan says: the plan's kept figures go, and the next review tells it.
    let customer = case
        .read(|c| status::find_customer_by_phone(c, "13812345602"))
        .unwrap();
    status::set_customer_status(
        &case,
        rulebook(),
        customer,
        &StatusChange {
            refunded: Some(true),
            ..StatusChange::default()
        },
        &actor(),
    )
    .unwrap();
    // The plan's figures go; the overview of the records and its tally stay (a refund writes no record,
    // customer or column: `store::write::LEAVES_RECORDS`).
    assert_eq!(kept(&case), ["overview", "overview-tally"]);
    let (_, a) = answer(&case, "decisions-prepaid");
    let Some(Figure::Prepaid {
        waiting_total,
        waiting_records,
        ..
    }) = a.figure
    else {
        panic!("{:?}", a.figure)
    };
    // ¥1,000.50 (the child's ¥34 waits for the guardian, not a refund) still waits; ¥200 was refunded.
    assert_eq!((waiting_total.as_str(), waiting_records), ("1000.50", 1));
}

#[test]
fn handover_checklist_json_reports_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    plan(&case);
    let path = case.path().to_path_buf();
    case.close().unwrap();
    let out = handover_command()
        .args(["checklist", "--json", "--case"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = |id: &str| {
        json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let minors = item("classification-minors");
    assert_eq!(minors["state"], "done");
    assert_eq!(minors["derived_from"], "overview.minors");
    assert_eq!(minors["figure"]["kind"], "minors");
    assert_eq!(minors["figure"]["minors"], 1);
    assert!(minors["derived_note"]
        .as_str()
        .unwrap()
        .contains("已发现 1 名未满14周岁的儿童"));
    let prepaid = item("decisions-prepaid");
    assert_eq!(prepaid["figure"]["total"], "1234.50");
    assert_eq!(prepaid["figure"]["customers"], 3);
    assert_eq!(prepaid["state"], "open");
    assert_eq!(prepaid["go_to"], "notices");
    let fields = item("minimisation-fields");
    assert_eq!(fields["figure"], Value::Null);
    assert_eq!(fields["not_yet"], "fields-not-chosen");
    assert_eq!(fields["go_to"], "minimisation");
    let seller = item("case-seller");
    assert_eq!(seller["derived_from"], "case.seller");
    assert_eq!(seller["state"], "done");
    let by_hand = item("inventory-files");
    assert_eq!(by_hand["derived_from"], Value::Null);
    assert_eq!(by_hand["state"], "open");
    assert_eq!(json["can_print_final"], false);
    assert!(json["open_blocking"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o == "decisions-prepaid"));
}

/// The handover summary reads the overview and the plan once, beside its annex, and builds its checklist from
/// those figures: its checklist must say what the wizard's own review says, and the figures it counts in the
/// plan summary's pass must equal the plan's own queries for them.
#[test]
fn the_summary_checklist_says_what_the_review_says() {
    use handover_core::rules::plan::{balances_blocked_by, customers_blocked_by};
    use handover_core::rules::BlockedBy;
    use handover_core::summary::{self, SummaryOptions};
    use handover_core::Lang;

    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(dir.path(), BusinessKind::Shop);
    import(&mut case, dir.path(), "会员.csv", &members());
    plan(&case);
    let review = review(&case).unwrap();
    let annex = dir.path().join("annex.csv");
    let model = summary::build(
        &case,
        Lang::ZhCn,
        &actor(),
        &SummaryOptions {
            operator: None,
            draft: false,
            annex: Some(annex.clone()),
        },
    )
    .unwrap();
    assert_eq!(model.open_blocking_count, review.open_blocking.len() as u64);
    assert!(model.open_blocking_count > 0);
    assert_eq!(model.draft, !review.can_print_final);
    let applying: Vec<&ReviewItem> = review
        .steps
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| i.item.applies)
        .collect();
    assert_eq!(model.checklist.len(), applying.len());
    let mut derived = 0;
    for (line, item) in model.checklist.iter().zip(&applying) {
        assert_eq!(line.item, item.item.text.zh);
        if let Some(figure) = &item.from_data {
            derived += 1;
            assert!(
                line.note.starts_with(&figure.note.zh),
                "{}: {:?} vs {:?}",
                line.item,
                line.note,
                figure.note.zh
            );
        }
    }
    assert!(derived >= 4, "{derived} derived items");

    // The waiting figures, counted in the plan summary's pass, equal the plan's own queries.
    let (state, prepaid) = answer(&case, "decisions-prepaid");
    assert_eq!(state, ItemState::Open);
    let Some(Figure::Prepaid {
        waiting_total,
        waiting_records,
        ..
    }) = prepaid.figure
    else {
        panic!("{:?}", prepaid.figure)
    };
    let (_, replies) = answer(&case, "consent-records");
    let Some(Figure::Replies {
        waiting_customers, ..
    }) = replies.figure
    else {
        panic!("{:?}", replies.figure)
    };
    let (queried_total, queried_records, queried_customers) = case
        .read(|c| {
            let (t, r) = balances_blocked_by(
                c,
                &[
                    BlockedBy::RefundOrConsent,
                    BlockedBy::Refund,
                    BlockedBy::RefundToEstate,
                ],
            )?;
            let n = customers_blocked_by(
                c,
                &[
                    BlockedBy::SeparateConsent,
                    BlockedBy::GuardianConsent,
                    BlockedBy::NewConsent,
                ],
            )?;
            Ok((t, r, n))
        })
        .unwrap();
    assert!(waiting_records > 0 && waiting_customers > 0);
    assert_eq!(
        (waiting_total, waiting_records, waiting_customers),
        (queried_total, queried_records, queried_customers)
    );

    // The annex lists the customers owed a balance, as many as the plan counts.
    let a = model.prepaid.annex.expect("an annex");
    assert_eq!(a.rows, model.prepaid.customers);
    assert!(annex.exists());
}
