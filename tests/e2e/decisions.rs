//! The minimisation and decisions steps in the real app: the owner confirms the fields the recipient needs,
//! computes the plan, filters it, opens a child's record (waiting for a refund and a guardian), overrides it
//! with a reason and an acknowledgement, records a customer's objection, and the CLI reads the same plan.

use crate::harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn decide_explain_override_and_record_an_objection() {
    let app = App::start("decisions").await;
    app.create_case("王记便利店", "shop", "sale-whole").await;
    let csv = handover_tests::members_with_minor_csv(&app.files());
    app.import_with_proposed_mapping(&csv).await;

    // Minimisation: the default choice, confirmed by the owner.
    app.click("step-minimisation").await;
    app.el("minimisation-screen").await;
    app.css("[data-testid='min-field-mobile']:checked").await;
    app.click("min-save").await;
    app.el("min-saved").await;
    app.screenshot("01-minimisation-zh").await;

    // The plan: one customer transferred, three records waiting (balances; one of them a child's).
    app.click("step-decisions").await;
    app.el("decisions-screen").await;
    app.click("plan-compute").await;
    app.wait_text("plan-outcome-blocked-count", "3").await;
    app.wait_text("plan-outcome-transfer-count", "1").await;
    app.wait_text("plan-prepaid-total", "170.00").await;
    app.screenshot("02-plan-zh").await;

    app.select("plan-filter-outcome", "blocked").await;
    app.wait_text("plan-page-info", "3").await;

    // The child's record: both reasons, with their articles.
    app.css("[data-testid='plan-row'][data-row='4'] button")
        .await
        .click()
        .await
        .unwrap();
    app.el("plan-explanation").await;
    app.css("[data-testid='plan-rules'] li[data-rule='minor-needs-guardian-consent']")
        .await;
    app.css("[data-testid='plan-rules'] li[data-rule='prepaid-needs-consent-or-refund']")
        .await;
    app.wait_text("plan-rules", "个人信息保护法 第三十一条")
        .await;
    app.screenshot("03-explanation-zh").await;

    // Override: the save waits for a reason and, since the rules block this record, an acknowledgement.
    app.select("override-outcome", "keep").await;
    app.fill(
        "override-reason",
        "家长当面表示不同意移交，孩子的会员信息留在原店，余额由原店退还",
    )
    .await;
    assert!(!app.el("override-save").await.is_enabled().await.unwrap());
    app.click("override-ack").await;
    app.click("override-save").await;
    app.el("override-saved").await;
    app.wait_text("plan-override-info", "家长当面表示不同意移交")
        .await;
    app.screenshot("04-override-zh").await;
    app.click("plan-explanation-close").await;

    // A customer objects: 李娜's record is no longer transferred; the seller is selling the whole business,
    // so nobody keeps it and it is deleted.
    app.select("plan-filter-outcome", "transfer").await;
    app.css("[data-testid='plan-row'][data-row='3'] button")
        .await
        .click()
        .await
        .unwrap();
    app.el("plan-status").await;
    app.click("status-objection-yes").await;
    app.css("[data-testid='status-objection-yes'][aria-checked='true']")
        .await;
    app.wait_text("plan-explanation-title", "删除").await;
    app.css("[data-testid='plan-rules'] li[data-rule='objection-delete']")
        .await;
    app.screenshot("05-objection-zh").await;
    app.click("plan-explanation-close").await;
    app.wait_text("plan-outcome-keep-count", "1").await;
    app.wait_text("plan-outcome-delete-count", "1").await;
    app.wait_text("plan-outcome-transfer-count", "0").await;

    // English, same screen.
    app.el("lang-switch")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    app.wait_text("decisions-screen", "What happens to each record")
        .await;
    app.screenshot("06-plan-en").await;

    // The CLI reads the same plan from the same file, and the audit log has the override with its reason.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    let v = app.cli_json("王记便利店", &["plan", "--json"]);
    assert_eq!(v["outcomes"]["keep"], 1, "{v}");
    assert_eq!(v["outcomes"]["delete"], 1, "{v}");
    assert_eq!(v["outcomes"]["blocked"], 2, "{v}");
    assert_eq!(v["outcomes"]["transfer"], 0, "{v}");
    let audit = app.cli_json("王记便利店", &["audit", "--json"]).to_string();
    assert!(
        audit.contains("rules.override") && audit.contains("家长当面表示不同意移交"),
        "{audit}"
    );
    app.stop().await;
}
