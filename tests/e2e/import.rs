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
