//! End-to-end tests: the real app binary in a real window (Xvfb), driven over WebDriver.
//! Run with `make e2e` (needs xvfb, webkit2gtk-driver and tauri-driver; `scripts/setup` installs them).

mod classification;
mod decisions;
mod harness;
mod import;
mod large_case;
mod transfer;
mod wizard;

use handover_tests::PASSPHRASE;
use harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn create_a_case_fill_details_close_and_reopen() {
    let app = App::start("create_reopen").await;
    let cases = app.home.path().join("cases");

    // Home screen, in Chinese by default.
    app.el("home-screen").await;
    app.wait_text("app-title", "客户信息交接助手").await;
    app.screenshot("01-home-zh").await;

    // New case.
    app.click("new-case-button").await;
    app.fill("new-case-name", "张记驿站").await;
    app.click("new-case-kind-courier-station").await;
    app.click("new-case-reason-sale-whole").await;
    app.fill("new-case-folder", cases.to_str().unwrap()).await;
    app.fill("new-case-passphrase", "12345678").await;
    app.css("[data-testid='passphrase-strength'][data-acceptable='false']")
        .await;
    app.fill("new-case-passphrase", PASSPHRASE).await;
    app.fill("new-case-passphrase-confirm", PASSPHRASE).await;
    app.css("[data-testid='passphrase-strength'][data-acceptable='true']")
        .await;
    app.wait_text("new-case-path-preview", "张记驿站.handover")
        .await;
    app.screenshot("02-new-case-zh").await;
    app.click("new-case-submit").await;

    // The case-details step comes first.
    app.el("case-screen").await;
    app.el("details-seller-name").await;
    assert_eq!(app.value("details-seller-name").await, "张记驿站");
    app.fill("details-seller-contact", "13800001111").await;
    app.fill("details-seller-responsible", "张三").await;
    app.fill("details-recipient-name", "李四便民服务部").await;
    app.fill("details-recipient-contact", "13900002222").await;
    app.fill("details-handover-date", "2026-12-31").await;
    app.fill("details-notes", "随店整体转让").await;
    app.click("details-save").await;
    app.el("details-saved").await;
    app.screenshot("03-details-zh").await;

    assert!(
        cases.join("张记驿站.handover").is_file(),
        "the case file was not written where asked"
    );

    // Close, then reopen from the recent list: a wrong passphrase first.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    app.css("[data-testid='recent-item']")
        .await
        .click()
        .await
        .unwrap();
    app.fill("open-case-passphrase", "Wrong-Horse-Battery-9")
        .await;
    app.click("open-case-submit").await;
    app.css("[data-testid='error-message'][data-code='wrong_passphrase']")
        .await;
    app.wait_text("error-message", "密码不正确").await;
    app.screenshot("04-wrong-passphrase-zh").await;
    app.fill("open-case-passphrase", PASSPHRASE).await;
    app.click("open-case-submit").await;

    // The details are all there.
    app.el("case-screen").await;
    app.click("step-case").await;
    assert_eq!(app.value("details-seller-name").await, "张记驿站");
    assert_eq!(app.value("details-seller-contact").await, "13800001111");
    assert_eq!(app.value("details-seller-responsible").await, "张三");
    assert_eq!(app.value("details-recipient-name").await, "李四便民服务部");
    assert_eq!(app.value("details-recipient-contact").await, "13900002222");
    assert_eq!(app.value("details-handover-date").await, "2026-12-31");
    assert_eq!(app.value("details-notes").await, "随店整体转让");

    // The overview shows them too, and the audit log is intact.
    app.click("step-overview").await;
    app.wait_text("overview-seller-name", "张记驿站").await;
    app.wait_text("overview-recipient", "李四便民服务部").await;
    app.click("audit-verify-button").await;
    app.css("[data-testid='audit-verify-result'][data-ok='true']")
        .await;
    app.screenshot("05-overview-zh").await;

    // English, switched at any time without losing the open case.
    app.el("lang-switch")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    app.wait_text("overview-screen", "Overview").await;
    app.wait_text("overview-seller-name", "张记驿站").await;
    app.screenshot("06-overview-en").await;
    app.click("step-case").await;
    assert_eq!(app.value("details-recipient-contact").await, "13900002222");
    app.screenshot("07-details-en").await;
    app.click("close-case-button").await;
    app.el("home-screen").await;
    app.wait_text("app-title", "Handover").await;
    app.screenshot("08-home-en").await;

    // The config folder is the test's own: the recent list lives there, with no customer data.
    let home = app.stop().await;
    let settings = std::fs::read_to_string(
        home.path()
            .join(".config/app.handover.desktop/settings.json"),
    )
    .unwrap();
    assert!(settings.contains("张记驿站.handover"));
    assert!(!settings.contains("13900002222"));
}
