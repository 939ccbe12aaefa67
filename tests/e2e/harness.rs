//! Starts the real app in a real window for WebDriver: an Xvfb display (unless DISPLAY is set),
//! tauri-driver (which starts WebKitWebDriver and the app), and a fantoccini client. Every process gets
//! temporary HOME and XDG folders, so a test never touches the real user's config or data.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;

pub const WAIT: Duration = Duration::from_secs(20);

pub struct App {
    pub client: Client,
    pub home: tempfile::TempDir,
    driver: Child,
    xvfb: Option<Child>,
    shots: PathBuf,
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The app binary under test: `HANDOVER_APP_BINARY`, or the workspace's debug build.
fn make_dir(p: PathBuf) -> PathBuf {
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// The folders where a desktop app keeps things of its own (config, caches, WebKit's storage, logs,
/// temporary files), as the app under test sees them.
pub const APP_FOLDERS: [&str; 4] = [".config", ".cache", ".local", "tmp"];

/// Fails if any of `needles` (a phone number, a name, an ID number of the test data) is in a file under the
/// app's own folders of `home`, in UTF-8 or UTF-16 (WebKit's local storage keeps UTF-16). The case files,
/// the input files and what the owner saved on purpose live elsewhere and are not searched.
pub fn assert_no_personal_data_in_app_folders(home: &Path, needles: &[String]) {
    let encodings = |s: &str| -> Vec<Vec<u8>> {
        let utf16le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let utf16be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        vec![s.as_bytes().to_vec(), utf16le, utf16be]
    };
    let (names, patterns): (Vec<&String>, Vec<Vec<u8>>) = needles
        .iter()
        .flat_map(|n| encodings(n).into_iter().map(move |b| (n, b)))
        .unzip();
    // One pass over each file for all the values in all three encodings (a search per value took minutes
    // over the WebKit folders of one test).
    let search = aho_corasick::AhoCorasick::new(&patterns).expect("the values make an automaton");
    let mut files = 0;
    let mut stack: Vec<PathBuf> = APP_FOLDERS.iter().map(|f| home.join(f)).collect();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        } else if meta.is_file() {
            files += 1;
            let bytes = std::fs::read(&p).unwrap();
            if let Some(found) = search.find(&bytes) {
                panic!(
                    "{:?} of the test data is in {}",
                    names[found.pattern().as_usize()],
                    p.display()
                );
            }
        }
    }
    eprintln!(
        "e2e: {files} files in the app's folders searched for {} values; none found",
        needles.len()
    );
}

fn app_binary() -> PathBuf {
    let p = std::env::var_os("HANDOVER_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/handover-app"));
    assert!(
        p.is_file(),
        "{} is missing: build the app first (make build)",
        p.display()
    );
    p
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + WAIT;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start_xvfb() -> (Option<Child>, String) {
    if let Ok(d) = std::env::var("DISPLAY") {
        if !d.is_empty() {
            return (None, d);
        }
    }
    // A display no other X server holds: its lock file absent. A killed server can leave its lock and socket
    // behind, and its pid may by now belong to another process, which makes a new server on that display
    // refuse to start; so a display is only taken once the server started on it is still running with its
    // socket in place, and otherwise the next one is tried.
    let first = 90 + (std::process::id() % 100);
    for n in (first..first + 200).filter(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists()) {
        let display = format!(":{n}");
        let mut child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed for the end-to-end tests (apt-get install xvfb)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let deadline = Instant::now() + WAIT;
        loop {
            if child.try_wait().ok().flatten().is_some() {
                break; // this display was taken after all: try the next
            }
            if Path::new(&socket).exists() {
                // Still running a moment later: the socket is this server's, not a leftover.
                std::thread::sleep(Duration::from_millis(200));
                if child.try_wait().ok().flatten().is_none() {
                    return (Some(child), display);
                }
                break;
            }
            assert!(Instant::now() < deadline, "Xvfb did not start on {display}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("no free X display between :{first} and :{}", first + 200);
}

/// Asks a process to end (SIGTERM) so it can clean up (Xvfb removes its lock and socket), then makes sure.
fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(3);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl App {
    /// Starts the app with a fresh, empty home folder.
    pub async fn start(test_name: &str) -> App {
        App::start_in(tempfile::tempdir().unwrap(), test_name).await
    }

    /// Starts the app with the given home folder (to restart it on the same config).
    pub async fn start_in(home: tempfile::TempDir, test_name: &str) -> App {
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = free_port();
        let h = home.path();
        let driver_bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let driver = Command::new(&driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display)
            .env("HOME", h)
            .env("XDG_CONFIG_HOME", h.join(".config"))
            .env("XDG_DATA_HOME", h.join(".local/share"))
            .env("XDG_CACHE_HOME", h.join(".cache"))
            // The app's temporary files stay in the test's home, where the leak check looks for them.
            .env("TMPDIR", make_dir(h.join("tmp")))
            // Debug builds only: the backend's save dialog answers with this folder (WebDriver cannot
            // reach a native dialog). Release builds always show the dialog.
            .env("HANDOVER_E2E_SAVE_DIR", make_dir(h.join("saved")))
            .env("XDG_DOCUMENTS_DIR", h.join("Documents"))
            .env("LANG", "zh_CN.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin} ({e}): cargo install tauri-driver --locked")
            });
        wait_for_port(port);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app_binary() }),
        );
        // tauri-driver opens its port before WebKitWebDriver behind it is ready; the first requests can be
        // dropped, so the session is retried for a while.
        let mut attempt = 0;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if attempt < 40 => {
                    attempt += 1;
                    eprintln!("e2e: WebDriver not ready yet ({e}), retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        let shots = workspace_root()
            .join("target/e2e-screenshots")
            .join(test_name);
        std::fs::create_dir_all(&shots).unwrap();
        App {
            client,
            home,
            driver,
            xvfb,
            shots,
        }
    }

    /// The element with this test id, waiting up to [`WAIT`] for it. React may replace the node between
    /// WebDriver finding it and handing it back ("stale element"): the search is then made again.
    pub async fn el(&self, testid: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .client
                .wait()
                .at_most(deadline.saturating_duration_since(Instant::now()))
                .for_element(Locator::Css(&format!("[data-testid='{testid}']")))
                .await;
            match found {
                Ok(e) => return e,
                Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => {
                    // What the window showed instead is the first thing to look at when CI fails here.
                    self.screenshot(&format!("FAILED-no-{testid}")).await;
                    panic!("no element {testid}: {e} (screenshot FAILED-no-{testid}.png)")
                }
            }
        }
    }

    pub async fn css(&self, selector: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
    }

    /// Scrolls an element to the middle of the window (for a screenshot of what is below the fold).
    pub async fn scroll_to(&self, testid: &str) {
        self.on_element(testid, "scroll to", |client, e| async move {
            client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![serde_json::to_value(&e).unwrap()],
                )
                .await
                .map(drop)
        })
        .await
    }

    /// Clicks an element after scrolling it to the middle of the window, so the sticky top bar cannot
    /// cover it (WebDriver's own scrolling brings it just to the edge).
    pub async fn click(&self, testid: &str) {
        self.scroll_to(testid).await;
        self.on_element(testid, "click", |_, e| async move { e.click().await })
            .await
    }

    /// Does `act` on the element, finding it again when React replaced it in between (stale element).
    async fn on_element<T, F, Fut>(&self, testid: &str, what: &str, act: F) -> T
    where
        F: Fn(Client, Element) -> Fut,
        Fut: std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            let e = self.el(testid).await;
            match act(self.client.clone(), e).await {
                Ok(v) => return v,
                Err(err) if err.is_stale_element_reference() && Instant::now() < deadline => {}
                Err(err) => panic!("{what} {testid}: {err}"),
            }
        }
    }

    /// Replaces a field's text.
    pub async fn fill(&self, testid: &str, text: &str) {
        let e = self.el(testid).await;
        e.clear().await.unwrap();
        e.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("type into {testid}: {err}"));
    }

    pub async fn value(&self, testid: &str) -> String {
        self.el(testid)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// The element's text content, including parts scrolled out of view (WebDriver's visible text leaves
    /// out rows below the fold of a scrolling table).
    pub async fn text(&self, testid: &str) -> String {
        self.on_element(testid, "text of", |client, e| async move {
            client
                .execute(
                    "return arguments[0].textContent;",
                    vec![serde_json::to_value(&e).unwrap()],
                )
                .await
                .map(|v| v.as_str().unwrap_or_default().to_string())
        })
        .await
    }

    /// The element's text content now, or `None` when it is not (or no longer) on the screen; no waiting.
    pub async fn text_now(&self, testid: &str) -> Option<String> {
        let v = self
            .client
            .execute(
                &format!(
                    "const e = document.querySelector(\"[data-testid='{testid}']\"); return e ? e.textContent : null;"
                ),
                vec![],
            )
            .await
            .unwrap_or_else(|err| panic!("text of {testid}: {err}"));
        v.as_str().map(str::to_string)
    }

    /// Waits until an element's text contains `needle`. Reads the text afresh each time (no element handle
    /// is kept, so a re-render in between cannot make it stale).
    pub async fn wait_text(&self, testid: &str, needle: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let t = self.text_now(testid).await;
            if t.as_deref().is_some_and(|t| t.contains(needle)) {
                return;
            }
            if Instant::now() >= deadline {
                self.screenshot(&format!("FAILED-text-{testid}")).await;
                panic!("{testid} never contained {needle:?}; it says {t:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Creates a case through the UI (home → new case → details saved) and leaves the case screen open.
    pub async fn create_case(&self, name: &str, kind: &str, reason: &str) {
        let cases = self.home.path().join("cases");
        self.el("home-screen").await;
        self.click("new-case-button").await;
        self.fill("new-case-name", name).await;
        self.click(&format!("new-case-kind-{kind}")).await;
        self.click(&format!("new-case-reason-{reason}")).await;
        self.fill("new-case-folder", cases.to_str().unwrap()).await;
        self.fill("new-case-passphrase", handover_tests::PASSPHRASE)
            .await;
        self.fill("new-case-passphrase-confirm", handover_tests::PASSPHRASE)
            .await;
        self.css("[data-testid='passphrase-strength'][data-acceptable='true']")
            .await;
        self.click("new-case-submit").await;
        self.el("case-screen").await;
    }

    /// Imports `file` on the inventory step with the mapping the app proposes, and commits it.
    pub async fn import_with_proposed_mapping(&self, file: &Path) {
        self.click("step-inventory").await;
        self.fill("import-path", file.to_str().unwrap()).await;
        self.click("import-read").await;
        self.el("import-preview").await;
        self.click("import-start").await;
        self.el("import-review").await;
        self.click("import-commit").await;
        self.el("import-notice").await;
    }

    /// Runs the `handover` CLI with `args` on the case file `create_case` made for `name` (close the case in
    /// the app first) and returns its JSON output.
    pub fn cli_json(&self, name: &str, args: &[&str]) -> serde_json::Value {
        let case = self.home.path().join(format!("cases/{name}.handover"));
        let out = handover_tests::handover_command()
            .args(args)
            .arg("--case")
            .arg(&case)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Chooses an option of a `<select>` by its value.
    pub async fn select(&self, testid: &str, value: &str) {
        self.el(testid)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {testid}: {e}"));
    }

    /// The folder the test may write its input files into.
    pub fn files(&self) -> PathBuf {
        let d = self.home.path().join("files");
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Saves a screenshot to target/e2e-screenshots/<test>/<name>.png, for people to look at.
    pub async fn screenshot(&self, name: &str) {
        // Screenshots can lag a frame behind the DOM.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the WebKitWebDriver tauri-driver started (its child), which would otherwise stay behind after
    /// every test. Called before tauri-driver itself ends, while the parent link still names it.
    fn stop_webkit_driver(&self) {
        let _ = Command::new("pkill")
            .args(["-TERM", "-P", &self.driver.id().to_string()])
            .status();
    }

    pub async fn stop(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        self.stop_webkit_driver();
        terminate(&mut self.driver);
        if let Some(mut x) = self.xvfb.take() {
            terminate(&mut x);
        }
        std::mem::replace(&mut self.home, tempfile::tempdir().unwrap())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop_webkit_driver();
        terminate(&mut self.driver);
        if let Some(x) = self.xvfb.as_mut() {
            terminate(x);
        }
    }
}
