//! The classification review screen in the real app: after importing a member list, it shows the same
//! numbers as `handover status --json` on the same case file, opens a column with masked samples, and the
//! masking style can be switched.

use crate::harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn review_screen_shows_the_numbers_of_status_json() {
    let app = App::start("classification").await;
    app.create_case("王记便利店", "shop", "sale-whole").await;
    let csv = handover_tests::members_with_minor_csv(&app.files());

    app.import_with_proposed_mapping(&csv).await;

    app.click("step-classification").await;
    app.el("classification-screen").await;
    app.wait_text("cls-customers-value", "3").await;
    let shown = |id: &'static str| {
        let app = &app;
        async move { app.text(&format!("cls-{id}-value")).await.replace(',', "") }
    };
    let screen = [
        ("customers", shown("customers").await),
        ("records", shown("records").await),
        ("sensitive_customers", shown("sensitive").await),
        ("minors", shown("minors").await),
        ("free_text_findings", shown("free-text").await),
    ];
    let mobile_cells = app.text("cls-kind-mobile-cells").await;
    let mobile_text = app.text("cls-kind-mobile-text").await;
    app.screenshot("01-review-zh").await;

    // A column opened: masked samples, never the full number.
    app.click("cls-column-1-1-open").await;
    app.el("column-review").await;
    app.wait_text("column-review-valid", "4").await;
    let sample = app.text("column-review-sample").await;
    assert!(
        sample.contains("****"),
        "a mobile number is shown masked: {sample}"
    );
    assert!(!sample.contains("13812345678"));
    app.screenshot("02-column-open-zh").await;

    // The customer table: searched by phone, filtered by sensitivity; values masked.
    app.wait_text("cls-customers-table-count", "3").await;
    app.select("cls-customers-table-sensitivity", "sensitive")
        .await;
    app.wait_text("cls-customers-table-count", "2").await;
    app.select("cls-customers-table-sensitivity", "").await;
    app.fill("cls-customers-table-search", "139").await;
    app.wait_text("cls-customers-table-count", "1").await;
    app.wait_text("cls-customers-table-mobile", "139****5678")
        .await;
    app.screenshot("02b-customers-zh").await;

    // Strict masking is a case setting.
    app.click("mask-strict").await;
    app.css("[data-testid='mask-strict']:checked").await;

    // English, on the same screen.
    app.el("lang-switch")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    app.wait_text("classification-screen", "What personal information")
        .await;
    app.screenshot("03-review-en").await;

    // The CLI reads the same numbers from the same file once the app has closed it.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    let v = app.cli_json("王记便利店", &["status", "--json"]);
    for (key, on_screen) in &screen {
        assert_eq!(
            v[*key].to_string(),
            *on_screen,
            "{key} differs between the screen and status --json"
        );
    }
    assert_eq!(
        v["pii_detail"]["mobile"]["column_cells"].to_string(),
        mobile_cells
    );
    assert_eq!(
        v["pii_detail"]["mobile"]["text_findings"].to_string(),
        mobile_text
    );
    assert_eq!(v["mask_style"], "strict");
    app.stop().await;
}
