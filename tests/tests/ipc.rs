//! The shell's IPC commands, called through Tauri's mock runtime as the frontend would call them.

use std::path::Path;

use handover_app::AppState;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

struct Harness {
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new(config_dir: &Path, documents: &Path) -> Harness {
        let app = handover_app::configure(mock_builder())
            .manage(AppState::new(
                config_dir.to_path_buf(),
                documents.to_path_buf(),
            ))
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Harness { _app: app, webview }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> T {
        let v = self
            .call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"));
        serde_json::from_value(v).unwrap()
    }
}

fn details() -> Value {
    serde_json::to_value(handover_tests::sample_details()).unwrap()
}

#[test]
fn create_edit_close_reopen_through_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("config"), &dir.path().join("docs"));

    let info: Value = h.ok("app_info", json!({}));
    assert_eq!(info["language"], "zh-CN");
    assert!(info["default_case_dir"]
        .as_str()
        .unwrap()
        .ends_with("docs/交接案件"));

    let path = dir.path().join("cases/张记驿站");
    let created: Value = h.ok(
        "create_case",
        json!({ "request": { "path": path, "passphrase": handover_tests::PASSPHRASE, "details": details() } }),
    );
    let file = created["path"].as_str().unwrap().to_string();
    assert!(file.ends_with("张记驿站.handover"), "{file}");
    assert_eq!(created["details"]["seller"]["name"], "张记驿站");

    let mut d = details();
    d["notes"] = json!("改为年底交接");
    let updated: Value = h.ok("update_case_details", json!({ "details": d }));
    assert_eq!(updated["details"]["notes"], "改为年底交接");
    assert_eq!(updated["audit_entries"], 2);
    let report: Value = h.ok("verify_audit", json!({}));
    assert_eq!(report["ok"], true);

    h.ok::<Value>("close_case", json!({}));
    let err = h.call("case_overview", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_case_open");

    let recent: Value = h.ok("recent_cases", json!({}));
    assert_eq!(recent[0]["name"], "张记驿站");
    assert_eq!(recent[0]["exists"], true);

    let err = h
        .call(
            "open_case",
            json!({ "path": file, "passphrase": "Wrong-Horse-Battery-9", "onProgress": "__CHANNEL__:7" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "wrong_passphrase");
    assert!(err["message"].as_str().unwrap().contains("密码不正确"));

    let opened: Value = h.ok(
        "open_case",
        json!({ "path": file, "passphrase": handover_tests::PASSPHRASE, "onProgress": "__CHANNEL__:7" }),
    );
    assert_eq!(opened["details"]["notes"], "改为年底交接");
}

#[test]
fn errors_follow_the_chosen_language_and_it_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let h = Harness::new(&config, dir.path());
    h.ok::<Value>("set_language", json!({ "language": "en" }));
    let err = h
        .call(
            "open_case",
            json!({ "path": dir.path().join("missing.handover"), "passphrase": "x", "onProgress": "__CHANNEL__:7" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "file_not_found");
    assert!(
        err["message"].as_str().unwrap().starts_with("The file"),
        "{err}"
    );
    let check: Value = h.ok(
        "check_passphrase",
        json!({ "passphrase": "short", "context": [] }),
    );
    assert_eq!(check["acceptable"], false);
    assert_eq!(check["weakness"], "too_short");
    drop(h);
    // A new start reads the language back from the config folder.
    let again = Harness::new(&config, dir.path());
    let info: Value = again.ok("app_info", json!({}));
    assert_eq!(info["language"], "en");
}

/// A value of the type named `ts` that any command accepts, for the simple types; `None` for the others.
fn sample(ts: &str) -> Option<Value> {
    match ts {
        "string" => Some(json!("x")),
        "number" => Some(json!(1)),
        "boolean" => Some(json!(false)),
        _ if ts.starts_with("Array<") => Some(json!([])),
        _ if ts.ends_with(" | null") => Some(Value::Null),
        _ => None,
    }
}

/// Each command of the table is registered, and asks for its arguments under the names the TypeScript
/// map gives them, in order. Tauri names the first argument it misses, so the arguments are supplied one
/// by one (as far as there is a simple value to supply; a structured argument ends the walk).
#[test]
fn every_command_in_the_table_is_registered_with_its_argument_names() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(dir.path(), dir.path());
    let config = handover_app::bindings::config();
    let mut checked_args = 0;
    for cmd in handover_app::COMMANDS {
        let mut args = serde_json::Map::new();
        for arg in cmd.args {
            let e = h
                .call(cmd.name, Value::Object(args.clone()))
                .expect_err(cmd.name);
            let key = arg.key();
            assert_eq!(
                e.as_str().unwrap_or_default(),
                format!(
                    "invalid args `{key}` for command `{}`: command {} missing required key {key}",
                    cmd.name, cmd.name
                ),
                "{}: the table's argument `{}` is not the function's",
                cmd.name,
                arg.name
            );
            checked_args += 1;
            match sample(&(arg.ty.name)(&config)) {
                Some(v) => args.insert(key, v),
                None => break,
            };
        }
        if args.len() == cmd.args.len() {
            // Every argument was accepted: the command ran (and may fail for want of an open case).
            if let Err(e) = h.call(cmd.name, Value::Object(args)) {
                assert!(e["code"].is_string(), "{}: {e}", cmd.name);
            }
        }
    }
    // 47 of the 50 arguments today; the other three follow a structured argument.
    assert!(
        checked_args >= 45,
        "only {checked_args} argument names checked"
    );
}

#[test]
fn the_wizard_through_ipc_answers_evidence_sources_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("config"), &dir.path().join("docs"));
    let created: Value = h.ok(
        "create_case",
        json!({ "request": { "path": dir.path().join("cases/驿站"), "passphrase": handover_tests::PASSPHRASE, "details": details() } }),
    );
    let file = created["path"].as_str().unwrap().to_string();

    let steps: Value = h.ok("wizard_steps", json!({}));
    assert_eq!(steps.as_array().unwrap().len(), 11);
    assert_eq!(steps[0]["id"], "case");
    assert_eq!(steps[0]["title"]["zh"], "案件信息");

    // The case step's items come ticked from the case details, and are not set by hand.
    let r: Value = h.ok("wizard_review", json!({}));
    let kind = &r["steps"][0]["items"][0];
    assert_eq!(kind["item"]["id"], "case-kind");
    assert_eq!(kind["item"]["derived_from"], "case.kind");
    assert_eq!(kind["progress"]["state"], "done");
    assert!(kind["from_case_details"]["zh"]
        .as_str()
        .unwrap()
        .contains("案件信息"));
    let err = h
        .call(
            "set_item_state",
            json!({ "itemId": "case-kind", "itemState": "later", "reason": "" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "item_from_case_details");

    let r: Value = h.ok(
        "set_item_state",
        json!({ "itemId": "inventory-files", "itemState": "done", "reason": "" }),
    );
    assert_eq!(r["steps"][1]["items"][0]["item"]["id"], "inventory-files");
    assert_eq!(r["steps"][1]["items"][0]["progress"]["state"], "done");
    let err = h
        .call(
            "set_item_state",
            json!({ "itemId": "inventory-phone", "itemState": "not_applicable", "reason": " " }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "reason_required");
    h.ok::<Value>(
        "set_item_note",
        json!({ "itemId": "case-kind", "note": "快递驿站，含两个取件柜" }),
    );
    let photo = dir.path().join("登记本照片.png");
    std::fs::write(&photo, b"\x89PNG fake but bytes are bytes").unwrap();
    let r: Value = h.ok(
        "attach_evidence",
        json!({ "itemId": "inventory-paper", "path": photo }),
    );
    let inventory = &r["steps"][1]["items"];
    let paper = inventory
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"]["id"] == "inventory-paper")
        .unwrap();
    assert_eq!(
        paper["progress"]["evidence"][0]["file_name"],
        "登记本照片.png"
    );
    let r: Value = h.ok(
        "register_source",
        json!({ "source": { "kind": "paper", "label": "取件登记本", "description": "3本", "handling": "destroy", "handling_note": "粉碎" } }),
    );
    assert_eq!(r["sources"][0]["label"], "取件登记本");
    let step: Value = h.ok("set_current_step", json!({ "step": "notices" }));
    assert_eq!(step, "notices");

    h.ok::<Value>("close_case", json!({}));
    h.ok::<Value>(
        "open_case",
        json!({ "path": file, "passphrase": handover_tests::PASSPHRASE, "onProgress": "__CHANNEL__:7" }),
    );
    let r: Value = h.ok("wizard_review", json!({}));
    assert_eq!(r["current_step"], "notices");
    assert_eq!(
        r["steps"][0]["items"][0]["progress"]["note"],
        "快递驿站，含两个取件柜"
    );
    assert_eq!(r["can_print_final"], false);
    assert!(!r["open_blocking"].as_array().unwrap().is_empty());
    let id = r["sources"][0]["id"].clone();
    let r: Value = h.ok("remove_source", json!({ "sourceId": id }));
    assert!(r["sources"].as_array().unwrap().is_empty());
}

/// The papers through IPC: the audit log names the case's responsible person beside the login until the
/// owner names an operator; the summary and the agreement are saved as PDF/DOCX where the owner chose (a
/// draft while required items are open), naming that operator; the legal form is a fact of its own.
#[test]
fn documents_are_saved_where_chosen_and_name_the_person_not_the_login() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("config"), &dir.path().join("docs"));
    let path = dir.path().join("cases/张记驿站");
    h.ok::<Value>(
        "create_case",
        json!({ "request": { "path": path, "passphrase": handover_tests::PASSPHRASE, "details": details() } }),
    );
    let log: Vec<Value> = h.ok("audit_log", json!({}));
    let actor = log[0]["actor"].as_str().unwrap();
    assert!(actor.starts_with("张三 (app:"), "{actor}");

    assert_eq!(h.ok::<String>("operator", json!({})), "");
    h.ok::<Value>("set_operator", json!({ "name": " 王小二 " }));
    assert_eq!(h.ok::<String>("operator", json!({})), "王小二");
    let facts: Value = h.ok(
        "set_case_facts",
        json!({ "facts": { "legal_form": "individual-business" } }),
    );
    assert_eq!(facts["legal_form"], "individual-business");
    let log: Vec<Value> = h.ok("audit_log", json!({}));
    let last = log.last().unwrap()["actor"].as_str().unwrap();
    assert!(last.starts_with("王小二 (app:"), "{last}");

    let state = h._app.state::<AppState>();
    let out = dir.path().join("papers");
    std::fs::create_dir_all(&out).unwrap();
    let target = state.chosen_files.choose_for_test(out.join("交接清单"));
    let saved: Value = h.ok(
        "save_case_document",
        json!({ "target": target, "request": { "document": "summary", "draft": false, "operator": "" } }),
    );
    let pdf = out.join("交接清单.pdf");
    assert_eq!(saved["saved"]["path"], pdf.display().to_string());
    assert_eq!(saved["draft"], true, "required items are open");
    assert_eq!(saved["operator"], "王小二");
    let text = handover_tests::pdf_text(&pdf);
    for needle in [
        "张记驿站",
        "李四便民服务部",
        "王小二",
        "个体工商户",
        "【草稿】",
    ] {
        assert!(text.contains(needle), "{needle} in\n{text}");
    }
    let target = state.chosen_files.choose_for_test(out.join("协议.docx"));
    let saved: Value = h.ok(
        "save_case_document",
        json!({ "target": target, "request": { "document": "agreement", "draft": true, "operator": "赵会计" } }),
    );
    assert_eq!(saved["saved"]["format"], "docx");
    assert_eq!(saved["operator"], "赵会计");
    let bytes = std::fs::read(out.join("协议.docx")).unwrap();
    assert!(bytes.starts_with(b"PK"));
    // A target is used once; an unknown one is refused.
    let err = h
        .call(
            "save_case_document",
            json!({ "target": target, "request": { "document": "summary", "draft": false, "operator": "" } }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "save_target_not_chosen");
    // Each document is audited with the operator, the login beside the person in the entry's actor.
    let log: Vec<Value> = h.ok("audit_log", json!({}));
    let docs: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("document."))
        .collect();
    assert_eq!(docs.len(), 2);
    let detail: Value = serde_json::from_str(docs[1]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["operator"], "赵会计");
    assert!(docs[1]["actor"]
        .as_str()
        .unwrap()
        .starts_with("王小二 (app:"));
    // Notices follow the plan: none before it is computed.
    let err = h.call("notices_preview", json!({})).unwrap_err();
    assert_eq!(err["code"], "notices_need_plan");
    // Bankruptcy of an individual business is refused with the reason.
    let mut d = details();
    d["reason"] = json!("bankruptcy");
    let err = h
        .call("update_case_details", json!({ "details": d }))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_details");
}
