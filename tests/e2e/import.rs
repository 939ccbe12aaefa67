//! Import in the real app: a GBK CSV as Excel in China writes it, one mapping corrected by the owner, the
//! flagged rows shown before committing, the commit; then a large import cancelled midway.

use std::io::Write;

use crate::harness::App;

/// A membership list as a shop's POS exports it from Excel: GBK, CRLF, a title line above the header.
fn gbk_members_csv(path: &std::path::Path) {
    let mut text = String::from("会员列表（导出时间：2026-11-01）\r\n");
    text.push_str("会员号,姓名,手机号,联系方式2,储值余额,最近消费\r\n");
    for i in 0..40u32 {
        let mobile = format!("139{:08}", 10_000_000 + i);
        let landline = format!("0755-8{:07}", 1_000_000 + i);
        let balance = match i {
            7 => "待核对".to_string(), // unreadable amount: flagged
            _ => format!("{}.{:02}", 100 + i, i % 100),
        };
        let date = match i {
            11 => "上个月".to_string(), // unreadable date: flagged
            _ => format!("2026/{}/{}", 1 + i % 12, 1 + i % 28),
        };
        text.push_str(&format!(
            "VIP{:05},{}{},{mobile},{landline},{balance},{date}\r\n",
            i + 1,
            ["张", "王", "李", "赵"][(i % 4) as usize],
            ["伟", "芳", "娜", "敏"][(i % 3) as usize]
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

/// A large UTF-8 list, big enough that its import can be cancelled midway.
fn large_csv(path: &std::path::Path, rows: u32) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "姓名,手机号,备注").unwrap();
    for i in 0..rows {
        writeln!(f, "顾客{i},1{}{:09},第{i}行", 3 + i % 7, i).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn import_a_gbk_csv_fix_a_mapping_review_commit_and_cancel_a_large_import() {
    let app = App::start("import").await;
    app.create_case("王记便利店", "shop", "sale-whole").await;
    let members = app.files().join("会员列表.csv");
    gbk_members_csv(&members);

    app.click("step-inventory").await;
    app.el("import-screen").await;
    app.fill("import-path", members.to_str().unwrap()).await;
    app.click("import-read").await;
    app.el("import-preview").await;
    assert_eq!(app.value("import-encoding").await, "GB18030");
    assert_eq!(app.value("import-header-row").await, "2");
    // The proposals: name, mobile, balance, last activity read from the headers and values.
    assert_eq!(app.value("import-field-1").await, "name");
    assert_eq!(app.value("import-field-2").await, "mobile");
    assert_eq!(app.value("import-field-4").await, "prepaid_balance");
    assert_eq!(app.value("import-field-5").await, "last_activity");
    app.screenshot("01-preview-zh").await;
    app.wait_text("import-rows", "王").await;

    // "联系方式2" is recognised from its values as landlines.
    assert_eq!(app.value("import-field-3").await, "landline");
    // The owner corrects one column: the shop's member numbers are just internal references here.
    assert_eq!(app.value("import-field-0").await, "member_number");
    app.select("import-field-0", "other").await;
    assert_eq!(app.value("import-field-0").await, "other");
    app.screenshot("02-mapping-fixed-zh").await;

    app.click("import-start").await;
    app.el("import-review").await;
    app.wait_text("import-rows-imported", "40").await;
    app.wait_text("import-rows-flagged", "2").await;
    app.wait_text("import-rows-rejected", "0").await;
    // The flagged rows are listed with their row numbers in the file (title line and header come first).
    app.css("[data-testid='import-problem'][data-row='10'][data-kind='unparseable_amount']")
        .await;
    app.css("[data-testid='import-problem'][data-row='14'][data-kind='unparseable_date']")
        .await;
    app.screenshot("03-review-zh").await;
    app.click("import-commit").await;
    app.el("import-notice").await;
    app.wait_text("import-counts", "40").await;

    // The same file again is recognised, and the owner's correction is remembered for this layout.
    app.fill("import-path", members.to_str().unwrap()).await;
    app.click("import-read").await;
    app.el("import-duplicate").await;
    assert_eq!(app.value("import-field-0").await, "other");

    // A large import, cancelled midway, leaves the case as it was.
    let large = app.files().join("large.csv");
    large_csv(&large, 400_000);
    app.fill("import-path", large.to_str().unwrap()).await;
    app.click("import-read").await;
    app.wait_text("import-preview", "large.csv").await;
    app.click("import-start").await;
    app.el("import-progress").await;
    app.css("[data-testid='import-progress'] progress").await;
    app.screenshot("04-progress-zh").await;
    app.click("import-cancel").await;
    app.wait_text("import-notice", "已取消").await;
    app.wait_text("import-counts", "记录 40").await;
    app.screenshot("05-cancelled-zh").await;

    app.click("step-overview").await;
    app.wait_text("overview-screen", "40").await;
    app.stop().await;
}

/// Issue 16: the mapping screen for a company ledger and a courier log with the new field types, and a
/// workbook whose second sheet the preview names as not imported with the first.
#[tokio::test(flavor = "multi_thread")]
async fn mapping_screens_for_a_company_ledger_a_courier_log_and_a_two_sheet_workbook() {
    let app = App::start("import_fidelity").await;
    app.create_case("华信商贸", "company", "sale-whole").await;
    let ledger = app.files().join("往来客户.csv");
    std::fs::write(
        &ledger,
        "客户名称,联系人,联系电话,开户行,银行账号,欠款,消费金额,充值金额,开票日期,备注\n\
         北京华信商贸有限公司,张伟,010-62345678,中国工商银行北京海淀支行,'6217000010001234569,1200.00,350.00,500,2025-03-01,月结\n\
         成都鑫源建材经营部,李秀英,028-86543210,中国建设银行成都高新支行,,0,88.50,0,2025-04-12,\n\
         杭州东方科技有限公司,王芳,13812345678,招商银行杭州分行,,300,1,200,2025-05-20,\n",
    )
    .unwrap();
    app.click("step-inventory").await;
    app.el("import-screen").await;
    app.fill("import-path", ledger.to_str().unwrap()).await;
    app.click("import-read").await;
    app.el("import-preview").await;
    let want = [
        "organisation_name",
        "contact_person",
        "landline",
        "bank_branch",
        "bank_card",
        "amount_owed",
        "transaction_amount",
        "top_up_amount",
        "document_date",
        "notes",
    ];
    for (i, f) in want.iter().enumerate() {
        assert_eq!(
            app.value(&format!("import-field-{i}")).await,
            *f,
            "column {i}"
        );
    }
    app.scroll_to("import-mapping").await;
    app.screenshot("01-company-ledger-mapping-zh").await;

    let log = app.files().join("取件记录.csv");
    std::fs::write(
        &log,
        "运单号,收件人,手机,入库时间,取件时间,取件状态\n\
         YT1234567890123,张三,13812345678,2025-11-01 09:30,2025-11-02 18:00,已取件\n\
         YT1234567890124,李四,13912345678,2025-11-01 10:05,,待取件\n\
         YT1234567890125,王五,13712345678,2025-10-20 16:45,,滞留件\n",
    )
    .unwrap();
    app.fill("import-path", log.to_str().unwrap()).await;
    app.click("import-read").await;
    app.wait_text("import-preview", "取件记录.csv").await;
    let want = [
        "waybill",
        "name",
        "mobile",
        "parcel_arrival_time",
        "pickup_time",
        "parcel_status",
    ];
    for (i, f) in want.iter().enumerate() {
        assert_eq!(
            app.value(&format!("import-field-{i}")).await,
            *f,
            "column {i}"
        );
    }
    app.scroll_to("import-mapping").await;
    app.screenshot("02-courier-log-mapping-zh").await;

    let book = app.files().join("会员.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s1 = wb.add_worksheet().set_name("会员").unwrap();
    for (c, h) in ["姓名", "手机"].iter().enumerate() {
        s1.write_string(0, c as u16, *h).unwrap();
    }
    s1.write_string(1, 0, "张三").unwrap();
    s1.write_string(1, 1, "13812345678").unwrap();
    let s2 = wb.add_worksheet().set_name("充值记录").unwrap();
    for (c, h) in ["手机号", "充值金额", "充值时间"].iter().enumerate() {
        s2.write_string(0, c as u16, *h).unwrap();
    }
    s2.write_string(1, 0, "13812345678").unwrap();
    s2.write_number(1, 1, 100.0).unwrap();
    s2.write_string(1, 2, "2025-03-01 10:00").unwrap();
    wb.save(&book).unwrap();
    app.fill("import-path", book.to_str().unwrap()).await;
    app.click("import-read").await;
    app.wait_text("import-notes", "充值记录").await;
    app.screenshot("03-workbook-other-sheet-named-zh").await;
    app.click("import-start").await;
    app.el("import-review").await;
    app.click("import-commit").await;
    app.wait_text("import-sheets-left", "充值记录").await;
    app.click("import-next-sheet").await;
    app.wait_text("import-preview", "充值金额").await;
    assert_eq!(app.value("import-sheet").await, "充值记录");
    assert_eq!(app.value("import-field-1").await, "top_up_amount");
    app.screenshot("04-top-up-sheet-mapping-zh").await;
    app.click("import-start").await;
    app.el("import-review").await;
    app.wait_text("import-rows-imported", "1").await;
    app.click("import-commit").await;
    app.el("import-notice").await;
    app.wait_text("import-counts", "记录 2").await;
    app.stop().await;
}
