//! The guided wizard as a shop owner goes through it: a new case, a 2,000-member GBK list with prepaid
//! balances and one child under 14 imported, a paper logbook registered, checklist items answered with
//! notes, a reason and evidence; the case closed mid-way and reopened on the same step; on to the summary,
//! whose review shows every answer. Screenshots of every step in Chinese and three in English.

use crate::harness::App;

/// ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number (GB 11643).
fn id_check(body: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("110101{birth}{:03}", seq % 1000);
    let check = id_check(&body);
    format!("{body}{check}")
}

/// Row index of the one member who is a child (born 2015: 11 on the handover date).
const MINOR_ROW: u32 = 1234;

/// A bakery's membership list as its POS exports it from Excel in China: GBK, CRLF, a title line.
fn members_csv(path: &std::path::Path, rows: u32) {
    let mut text = String::from("会员资料导出（2026-11-20）\r\n");
    text.push_str("会员号,姓名,手机号,身份证号,储值余额,最近消费\r\n");
    let surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄"];
    let given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "婷"];
    for i in 0..rows {
        let birth = if i == MINOR_ROW {
            "20150601".to_string()
        } else {
            format!("{}{:02}{:02}", 1960 + i % 40, 1 + i % 12, 1 + i % 28)
        };
        let balance = if i % 3 == 0 {
            "0.00".to_string()
        } else {
            format!("{}.{:02}", 50 + i % 900, i % 100)
        };
        text.push_str(&format!(
            "M{:05},{}{},139{:08},{},{balance},2026/{}/{}\r\n",
            i + 1,
            surnames[(i % 8) as usize],
            given[(i / 8 % 8) as usize],
            20_000_000 + i,
            id_number(&birth, i),
            1 + i % 11,
            1 + i % 28,
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

impl App {
    async fn item_state(&self, item: &str, state: &str) {
        self.css(&format!(
            "[data-testid='item-{item}'][data-state='{state}']"
        ))
        .await;
    }

    async fn mark(&self, item: &str, how: &str) {
        self.click(&format!("item-{item}-{how}")).await;
        let state = match how {
            "done" => "done",
            "later" => "later",
            _ => unreachable!(),
        };
        self.item_state(item, state).await;
    }

    async fn mark_not_applicable(&self, item: &str, reason: &str) {
        self.click(&format!("item-{item}-na")).await;
        self.fill(&format!("item-{item}-reason"), reason).await;
        self.click(&format!("item-{item}-reason-save")).await;
        self.item_state(item, "not_applicable").await;
    }

    /// Types a note and leaves the field, which saves it.
    async fn note(&self, item: &str, text: &str) {
        self.fill(&format!("item-{item}-note"), text).await;
        // Leaving the field saves it: click the item's own text.
        self.css(&format!("[data-testid='item-{item}'] .item-text"))
            .await
            .click()
            .await
            .unwrap();
        self.el(&format!("item-{item}-note-saved")).await;
    }

    /// How many rows of a customer table exist in the page (the virtualised table renders those in view).
    async fn customer_rows(&self, table: &str) -> usize {
        self.client
            .find_all(fantoccini::Locator::Css(&format!(
                "[data-testid='{table}-row']"
            )))
            .await
            .unwrap()
            .len()
    }

    /// Brings a customer table's rows to the bottom of the window (its search and filters above them) and
    /// scrolls them to `top` pixels.
    async fn scroll_table(&self, table: &str, top: u32) {
        let area = self.el(&format!("{table}-scroll")).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'end'}); arguments[0].scrollTop = arguments[1];",
                vec![serde_json::to_value(&area).unwrap(), top.into()],
            )
            .await
            .unwrap();
    }

    /// Scrolls the window so that an element's top is just below the top bar, for a screenshot.
    async fn show(&self, testid: &str) {
        let e = self.el(testid).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -70);",
                vec![serde_json::to_value(&e).unwrap()],
            )
            .await
            .unwrap();
    }

    async fn next_step(&self, id: &str) {
        self.click("wizard-next").await;
        self.el(&format!("wizard-step-{id}")).await;
    }
}

/// The text of a saved PDF, pages separated by form feeds (`pdftotext`, as an owner's reader sees it).
fn pdf_text(path: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    assert!(out.status.success(), "pdftotext {path}");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shop_owner_goes_through_the_wizard_leaves_resumes_and_reviews_every_answer() {
    let app = App::start("wizard").await;
    app.create_case("李记烘焙", "shop", "sale-whole").await;
    let members = app.files().join("会员资料.csv");
    members_csv(&members, 2_000);
    let receipt = app.files().join("登记本清点照片.jpg");
    std::fs::write(&receipt, b"\xFF\xD8\xFF\xE0 a photo of the logbooks").unwrap();

    // Step 1: the case. A new case starts here; the details form sits inside the step. The items the details
    // answer are ticked from them, not by hand: kind and reason come with the new case, the rest follow the
    // details as they are saved.
    app.el("wizard-step-case").await;
    app.wait_text("wizard-step-title", "案件信息").await;
    app.item_state("case-kind", "done").await;
    app.item_state("case-reason", "done").await;
    app.item_state("case-seller", "open").await;
    app.wait_text("item-case-seller-from-details", "来自案件信息")
        .await;
    assert!(app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid='item-case-seller-done']"
        ))
        .await
        .unwrap()
        .is_empty());
    app.fill("details-seller-contact", "13800001111").await;
    app.fill("details-seller-responsible", "李明").await;
    app.fill("details-recipient-name", "周记面包坊").await;
    app.fill("details-recipient-contact", "13900002222").await;
    app.click("details-save").await;
    app.el("details-saved").await;
    for item in ["case-seller", "case-responsible", "case-recipient"] {
        app.item_state(item, "done").await;
    }
    // No date yet: its item stays open, and the owner can still say why in a note.
    app.item_state("case-date", "open").await;
    app.note("case-date", "等接收方确认最后营业日").await;
    // The case step is not complete while the date is missing; once it is saved, the step is.
    app.css("[data-testid='step-case'][data-complete='false']")
        .await;
    app.fill("details-handover-date", "2026-12-31").await;
    app.click("details-save").await;
    app.item_state("case-date", "done").await;
    // What the recipient will do with the data (issue 15, point 10): answered, the two questions tick.
    app.scroll_to("details-purpose-change").await;
    app.select("details-purpose-change", "no").await;
    app.item_state("case-purpose-change", "done").await;
    app.scroll_to("details-cross-border").await;
    app.select("details-cross-border", "no").await;
    app.item_state("case-cross-border", "done").await;
    app.css("[data-testid='step-case'][data-complete='true']")
        .await;
    app.wait_text("item-case-date-from-details", "已按案件信息自动勾选")
        .await;
    app.screenshot("01-case-zh").await;

    // Step 2: inventory — the file import and a paper logbook.
    app.next_step("inventory").await;
    app.el("import-screen").await;
    app.fill("import-path", members.to_str().unwrap()).await;
    app.click("import-read").await;
    app.el("import-preview").await;
    assert_eq!(app.value("import-encoding").await, "GB18030");
    app.click("import-start").await;
    app.el("import-review").await;
    app.wait_text("import-rows-imported", "2000").await;
    app.click("import-commit").await;
    app.el("import-notice").await;
    app.wait_text("import-counts", "2000").await;

    app.click("source-add").await;
    app.select("source-kind", "paper").await;
    app.fill("source-label", "会员登记本（2本）").await;
    app.fill("source-description", "2023—2025年，收银台下方抽屉")
        .await;
    app.select("source-handling", "destroy").await;
    app.fill("source-handling-note", "交接签收后粉碎，拍照留证")
        .await;
    app.click("source-save").await;
    app.css("[data-testid='source-row'][data-kind='paper'][data-handling='destroy']")
        .await;

    app.mark("inventory-files", "done").await;
    app.mark("inventory-paper", "done").await;
    app.click("item-inventory-paper-attach").await;
    app.fill(
        "item-inventory-paper-evidence-path",
        receipt.to_str().unwrap(),
    )
    .await;
    app.click("item-inventory-paper-evidence-add").await;
    app.wait_text("item-inventory-paper-evidence", "登记本清点照片.jpg")
        .await;
    app.mark_not_applicable("inventory-wechat", "本店没有客户微信群")
        .await;
    app.wait_text("item-inventory-wechat-reason-text", "本店没有客户微信群")
        .await;
    app.screenshot("02-inventory-zh").await;

    // Step 3: classification; the child's record is the owner's to check.
    app.next_step("classification").await;
    // The review screen fills in as its counts and customer table arrive; wait for them, so the checklist
    // below has stopped moving before it is clicked.
    app.el("cls-customers-table-count").await;
    // The app answers what it can count itself (issue 15, point 11): the child among the members and how
    // the columns were classified are figures, not ticks; the owner can still add a note.
    app.item_state("classification-minors", "done").await;
    app.wait_text(
        "item-classification-minors-figure",
        "已发现 1 名未满14周岁的儿童",
    )
    .await;
    assert!(app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid='item-classification-minors-done']"
        ))
        .await
        .unwrap()
        .is_empty());
    app.item_state("classification-categories", "done").await;
    app.wait_text("item-classification-categories-figure", "分好类")
        .await;
    app.note("classification-minors", "有1名14岁以下会员，需监护人同意")
        .await;
    app.screenshot("03-classification-zh").await;
    app.show("item-classification-categories").await;
    app.screenshot("03b-classification-figures-zh").await;

    // Step 4: minimisation.
    app.next_step("minimisation").await;
    app.mark("minimisation-purpose", "done").await;
    app.note("minimisation-purpose", "继续为会员提供烘焙和储值服务")
        .await;
    // Which fields go over is the owner's saved choice, not a tick: until it is saved the item says so.
    app.item_state("minimisation-fields", "open").await;
    app.wait_text("item-minimisation-fields-figure", "还没有确认交出哪些信息")
        .await;
    app.screenshot("04-minimisation-zh").await;
    // The fields to choose from: ID numbers and bank cards are tagged sensitive, a prepaid balance is not (it is
    // the evidence of what is owed and travels with the record).
    app.scroll_to("min-field-prepaid_balance").await;
    app.screenshot("04a-minimisation-fields-zh").await;

    // Leave mid-way: close the case, reopen it, and land on the same step with the answers kept.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    app.css("[data-testid='recent-item']")
        .await
        .click()
        .await
        .unwrap();
    app.fill("open-case-passphrase", handover_tests::PASSPHRASE)
        .await;
    app.click("open-case-submit").await;
    app.el("wizard-step-minimisation").await;
    app.css("[data-testid='step-minimisation'][aria-current='step']")
        .await;
    app.item_state("minimisation-purpose", "done").await;
    assert_eq!(
        app.value("item-minimisation-purpose-note").await,
        "继续为会员提供烘焙和储值服务"
    );
    // The case step's items, ticked from the details, stay ticked.
    app.css("[data-testid='step-case'][data-complete='true']")
        .await;

    // Steps 5 to 10.
    app.next_step("decisions").await;
    // An item for courier stations only is shown with the reason it does not apply, not hidden.
    app.wait_text("item-decisions-courier-return-inapplicable", "")
        .await;
    // The prepaid total and the legal holds come from the plan: before it is computed they say so (this is
    // the step that computes it).
    app.item_state("decisions-prepaid", "open").await;
    app.wait_text("item-decisions-prepaid-figure", "还没有算出处理方案")
        .await;
    app.note(
        "decisions-prepaid",
        "储值余额：先问每位会员是否同意由周记继续服务",
    )
    .await;
    app.screenshot("05-decisions-zh").await;
    // The plan's customer table: 2,000 customers in a scroll area that renders only the rows in view and
    // loads the next page as the end of the loaded ones comes near.
    app.click("plan-compute").await;
    app.wait_text("plan-customers-table-count", "2,000").await;
    // Computed: the figures answer the items. The balances wait for consent or a refund, so the prepaid item
    // stays open; the legal-hold item is answered.
    app.wait_text("item-decisions-prepaid-figure", "预付余额合计 ¥")
        .await;
    app.wait_text("item-decisions-prepaid-figure", "还在等退款或客户同意")
        .await;
    app.item_state("decisions-prepaid", "open").await;
    app.wait_text("item-decisions-prepaid-go-to", "去第6步")
        .await;
    app.item_state("decisions-legal-hold", "done").await;
    app.show("item-decisions-legal-hold").await;
    app.screenshot("05c-decisions-figures-zh").await;
    app.scroll_to("plan-customers-table").await;
    app.wait_text("plan-customers-table-position", "已载入 50 位")
        .await;
    assert!(app.customer_rows("plan-customers-table").await <= 21);
    app.scroll_table("plan-customers-table", 10_000).await;
    app.wait_text("plan-customers-table-position", "已载入 100 位")
        .await;
    app.scroll_table("plan-customers-table", 3_960).await;
    app.wait_text("plan-customers-table-position", "第 91–100 位")
        .await;
    assert!(app.customer_rows("plan-customers-table").await <= 21);
    app.screenshot("05b-decisions-customers-zh").await;
    // The keyboard: a clicked row takes the focus, Page Down moves it a screen on, scrolling the row into view.
    let row = app
        .css("[data-testid='plan-customers-table-row'][data-index='95']")
        .await;
    row.click().await.unwrap();
    row.send_keys(&char::from(fantoccini::key::Key::PageDown).to_string())
        .await
        .unwrap();
    let focused = app
        .client
        .execute(
            "return document.activeElement.getAttribute('data-index');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, "105");
    app.wait_text("plan-customers-table-position", "第 97–106 位")
        .await;
    app.next_step("notices").await;
    // The notices the plan needs: the Art. 22 notice names the recipient; its SMS platform file is saved
    // through the save dialog (UTF-8 with BOM, a mobile column).
    app.wait_text("notice-art22-sms", "周记面包坊").await;
    app.screenshot("06-notices-zh").await;
    app.click("save-notice-art22-csv").await;
    let saved_csv = app
        .el("notice-art22-saved")
        .await
        .attr("data-path")
        .await
        .unwrap()
        .expect("the saved file's path");
    let csv = std::fs::read(&saved_csv).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "{saved_csv} starts with a BOM"
    );
    assert!(String::from_utf8_lossy(&csv).contains("手机号"));
    // The customers' replies: one objects, one consents; both are recorded (the plan re-decides them).
    let replies = app.files().join("回复.csv");
    std::fs::write(
        &replies,
        format!(
            "手机号,回复\n139{:08},反对\n139{:08},同意\n",
            20_000_003, 20_000_004
        ),
    )
    .unwrap();
    app.fill("replies-path", replies.to_str().unwrap()).await;
    app.click("replies-import").await;
    app.css("[data-testid='replies-done'][data-changed='2']")
        .await;
    app.wait_text("replies-done", "反对 1").await;
    app.show("replies").await;
    app.screenshot("06b-notices-replies-zh").await;
    app.mark("notices-art22", "done").await;
    app.next_step("agreement").await;
    app.mark("agreement-parties", "done").await;
    // The agreement as a PDF: a draft while required items are open, filled from the case.
    app.click("save-agreement-pdf").await;
    let agreement = app
        .css("[data-testid='document-agreement-saved'][data-draft='true']")
        .await
        .attr("data-path")
        .await
        .unwrap()
        .expect("the saved agreement's path");
    let text = pdf_text(&agreement);
    assert!(text.contains("周记面包坊"), "{text}");
    app.screenshot("07-agreement-zh").await;
    app.next_step("transfer").await;
    app.screenshot("08-transfer-zh").await;
    app.next_step("destruction").await;
    app.mark("destruction-paper", "later").await;
    app.screenshot("09-destruction-zh").await;
    app.next_step("security").await;
    app.mark("security-encryption", "done").await;
    app.screenshot("10-security-zh").await;

    // Step 11: the summary reviews every answer; a final summary waits for the open required items.
    app.next_step("summary").await;
    app.el("review-screen").await;
    app.css("[data-testid='review-screen'][data-can-print-final='false']")
        .await;
    for (item, state) in [
        ("case-kind", "done"),
        ("case-seller", "done"),
        ("case-date", "done"),
        ("inventory-files", "done"),
        ("inventory-paper", "done"),
        ("inventory-wechat", "not_applicable"),
        ("classification-minors", "done"),
        ("minimisation-purpose", "done"),
        ("decisions-prepaid", "open"),
        ("notices-art22", "done"),
        ("agreement-parties", "done"),
        ("destruction-paper", "later"),
        ("security-encryption", "done"),
        ("transfer-receipt", "open"),
    ] {
        app.css(&format!(
            "[data-testid='review-item-{item}'][data-state='{state}']"
        ))
        .await;
    }
    app.wait_text("review-item-case-date", "等接收方确认最后营业日")
        .await;
    app.wait_text("review-item-case-seller", "已按案件信息自动勾选")
        .await;
    app.wait_text("review-item-inventory-wechat", "本店没有客户微信群")
        .await;
    app.wait_text("review-item-inventory-paper", "登记本清点照片.jpg")
        .await;
    app.wait_text("review-item-classification-minors", "14岁以下")
        .await;
    app.wait_text("review-item-decisions-prepaid", "储值余额")
        .await;
    app.wait_text("review-item-decisions-prepaid-figure", "预付余额合计 ¥")
        .await;
    app.wait_text(
        "review-item-classification-minors-figure",
        "已发现 1 名未满14周岁的儿童",
    )
    .await;
    app.wait_text("review-sources", "会员登记本（2本）").await;
    app.wait_text("review-screen", "2000").await;
    // The open required items are listed, the ones put off among them.
    app.css("[data-testid='review-open-item'][data-item='decisions-prepaid']")
        .await;
    app.css("[data-testid='review-open-item'][data-item='transfer-receipt']")
        .await;
    assert!(app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid='review-open-item'][data-item='case-kind']"
        ))
        .await
        .unwrap()
        .is_empty());
    app.screenshot("11-summary-zh").await;
    // The handover summary as a real PDF and DOCX, naming the operator the owner gave (not the login): a
    // draft while required items are open, with the mark on every page.
    app.fill("operator-name", "王小二").await;
    app.click("operator-save").await;
    app.wait_text("operator-saved", "王小二").await;
    app.el("document-summary-forced-draft").await;
    app.click("save-summary-pdf").await;
    let summary_pdf = app
        .css("[data-testid='document-summary-saved'][data-draft='true']")
        .await
        .attr("data-path")
        .await
        .unwrap()
        .expect("the saved summary's path");
    let text = pdf_text(&summary_pdf);
    for needle in ["李记烘焙", "周记面包坊", "王小二", "2000"] {
        assert!(text.contains(needle), "{needle} in the summary PDF");
    }
    let pages = text.split('\x0c').filter(|p| !p.trim().is_empty()).count();
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(
        text.matches("【草稿】").count(),
        pages,
        "the draft mark on every page"
    );
    app.screenshot("11a-summary-saved-zh").await;
    app.click("save-summary-docx").await;
    app.wait_text("document-summary-saved", ".docx").await;
    // The case step's answers in the review: ticked from the case details, with the owner's note.
    app.show("review-step-case").await;
    app.screenshot("11b-summary-case-zh").await;
    // The decisions in the review: the figures that answer the derived items beside the owner's notes.
    app.show("review-item-decisions-legal-hold").await;
    app.screenshot("11c-summary-figures-zh").await;

    // A link back to edit an answer opens its step.
    app.click("review-edit-notices").await;
    app.el("wizard-step-notices").await;
    app.item_state("notices-art22", "done").await;
    app.click("step-summary").await;
    app.el("review-screen").await;

    // English at any time, nothing lost.
    app.select("lang-switch", "en").await;
    app.wait_text("wizard-step-title", "Review and print").await;
    app.wait_text("review-item-case-date", "Ticked from the case details")
        .await;
    app.wait_text("review-item-case-date", "等接收方确认最后营业日")
        .await;
    app.screenshot("12-summary-en").await;
    app.click("step-inventory").await;
    app.wait_text("sources-panel", "Paper logbook").await;
    app.item_state("inventory-wechat", "not_applicable").await;
    app.screenshot("13-inventory-en").await;
    app.click("step-decisions").await;
    app.item_state("decisions-prepaid", "open").await;
    app.wait_text("item-decisions-prepaid-figure", "Prepaid balances total ¥")
        .await;
    assert_eq!(
        app.value("item-decisions-prepaid-note").await,
        "储值余额：先问每位会员是否同意由周记继续服务"
    );
    app.screenshot("14-decisions-en").await;

    // The overview with the history stays reachable; the wizard's changes are in it.
    app.click("step-overview").await;
    app.wait_text("audit-table", "Checklist item answered")
        .await;
    let home = app.stop().await;

    // Nothing of the members is left in the app's config, caches, WebKit storage or temporary files: every
    // phone number, ID number and name of the imported list (the names are the list's 64 combinations).
    let mut needles: Vec<String> = (0..2_000u32)
        .flat_map(|i| {
            let birth = if i == MINOR_ROW {
                "20150601".to_string()
            } else {
                format!("{}{:02}{:02}", 1960 + i % 40, 1 + i % 12, 1 + i % 28)
            };
            [format!("139{:08}", 20_000_000 + i), id_number(&birth, i)]
        })
        .collect();
    for s in ["张", "王", "李", "赵", "刘", "陈", "杨", "黄"] {
        for g in ["伟", "芳", "娜", "敏", "静", "磊", "洋", "婷"] {
            needles.push(format!("{s}{g}"));
        }
    }
    crate::harness::assert_no_personal_data_in_app_folders(home.path(), &needles);
}
