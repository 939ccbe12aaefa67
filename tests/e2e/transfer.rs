//! Hand-over and destruction in the real app (issue 14): the seller exports the recipient's package (its
//! passphrase shown once, in groups), the recipient receives it into a new case of their own from the home
//! screen, and the seller destroys what the plan deleted, with confirmation, and saves the certificate.

use crate::harness::App;

/// Three members of a shop: one active (transferred), two with no activity for years (deleted).
fn members_csv(path: &std::path::Path) {
    std::fs::write(
        path,
        "姓名,手机号,最近消费日期\n\
         张伟,13812345678,2026-10-01\n\
         李娜,13987654321,2019-05-01\n\
         王芳,13700001111,2018-03-03\n",
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn hand_over_receive_and_destroy_with_a_certificate() {
    let app = App::start("transfer").await;
    let cases = app.home.path().join("cases");
    app.create_case("王记便利店", "shop", "sale-whole").await;
    app.fill("details-seller-responsible", "王五").await;
    app.fill("details-recipient-name", "李四便民服务部").await;
    app.fill("details-recipient-contact", "13900002222").await;
    app.click("details-save").await;
    app.el("details-saved").await;
    let csv = app.files().join("members.csv");
    members_csv(&csv);
    app.import_with_proposed_mapping(&csv).await;

    app.click("step-minimisation").await;
    app.el("minimisation-screen").await;
    app.click("min-save").await;
    app.el("min-saved").await;
    app.click("step-decisions").await;
    app.el("decisions-screen").await;
    app.click("plan-compute").await;
    app.wait_text("plan-outcome-transfer-count", "1").await;
    app.wait_text("plan-outcome-delete-count", "2").await;

    // Hand over: the package, its SHA-256, and the passphrase shown once until the owner wrote it down.
    app.click("step-transfer").await;
    app.el("transfer-screen").await;
    app.click("export-package").await;
    app.el("package-result").await;
    let passphrase = app
        .el("package-passphrase")
        .await
        .attr("data-passphrase")
        .await
        .unwrap()
        .expect("the passphrase");
    assert!(passphrase.len() >= 20, "{passphrase}");
    let sha = app.text("package-sha256").await;
    assert_eq!(sha.len(), 64, "{sha}");
    app.screenshot("01-package-zh").await;
    app.click("passphrase-written").await;
    app.click("passphrase-done").await;
    app.el("passphrase-hidden").await;
    let package = app
        .home
        .path()
        .join("saved/王记便利店-李四便民服务部.hopkg");
    assert!(package.is_file(), "{}", package.display());
    let bytes = std::fs::read(&package).unwrap();
    for phone in ["13812345678", "13987654321", "13700001111"] {
        assert!(
            !bytes.windows(phone.len()).any(|w| w == phone.as_bytes()),
            "{phone} in clear in the package"
        );
    }

    // The recipient: a new case of their own from the package, from the home screen.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    app.click("receive-package-button").await;
    app.el("receive-screen").await;
    app.fill("receive-package-path", package.to_str().unwrap())
        .await;
    app.fill("receive-package-passphrase", &passphrase).await;
    let received = cases.join("李四便民服务部.handover");
    app.fill("receive-case-path", received.to_str().unwrap())
        .await;
    app.fill("receive-case-passphrase", handover_tests::PASSPHRASE)
        .await;
    app.fill("receive-case-passphrase-repeat", handover_tests::PASSPHRASE)
        .await;
    app.screenshot("02-receive-form-zh").await;
    app.click("receive-submit").await;
    app.el("receive-done").await;
    assert_eq!(app.text("receive-sha256").await, sha);
    app.wait_text("receive-counts", "1").await;
    app.screenshot("03-received-zh").await;
    app.click("receive-open-case").await;
    app.el("case-screen").await;
    app.click("step-overview").await;
    app.el("overview-screen").await;
    app.screenshot("04-recipient-case-zh").await;
    app.click("close-case-button").await;
    app.el("home-screen").await;

    // Back in the seller's case: destruction, confirmed with the passphrase, and its certificate.
    app.click("open-case-button").await;
    app.fill(
        "open-case-path",
        cases.join("王记便利店.handover").to_str().unwrap(),
    )
    .await;
    app.fill("open-case-passphrase", handover_tests::PASSPHRASE)
        .await;
    app.click("open-case-submit").await;
    app.el("case-screen").await;
    app.click("step-destruction").await;
    app.el("destruction-preview").await;
    assert!(!app.el("destroy-start").await.is_enabled().await.unwrap());
    app.click("destroy-understood").await;
    app.fill("destroy-passphrase", handover_tests::PASSPHRASE)
        .await;
    app.screenshot("05-destruction-confirm-zh").await;
    app.click("destroy-start").await;
    app.el("certificate").await;
    app.css("[data-testid='certificate-result'].ok").await;
    app.wait_text("certificate-counts", "2").await;
    app.screenshot("06-certificate-zh").await;
    app.click("save-certificate").await;
    app.el("certificate-saved").await;
    let saved = std::fs::read_dir(app.home.path().join("saved"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("the certificate PDF");
    let text = handover_tests::pdf_text(&saved);
    assert!(text.contains("销毁证明"), "{text}");
    assert!(text.contains("王记便利店"), "{text}");
    for phone in ["13987654321", "13700001111"] {
        assert!(!text.contains(phone), "{phone} in the certificate");
    }
    app.screenshot("07-certificate-saved-zh").await;

    // What the CLI reads from the seller's case agrees: the two deleted customers are gone.
    app.click("close-case-button").await;
    app.el("home-screen").await;
    let status = app.cli_json("王记便利店", &["status", "--json"]);
    assert_eq!(status["customers"], 1, "{status}");
    let status = app.cli_json("李四便民服务部", &["status", "--json"]);
    assert_eq!(
        status["customers"], 1,
        "the recipient received one customer: {status}"
    );
    app.stop().await;
}
