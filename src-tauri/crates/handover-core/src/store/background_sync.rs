//! Getting an import's pages onto the disk while it runs, so the commit at its end does not wait for
//! hundreds of megabytes to be written.
//!
//! An import writes its pages straight into the case file (rollback journal), where they sit in the
//! operating system's cache until the commit's fsync. A thread calls `fdatasync` on the file a few times a
//! second meanwhile; that only makes writing to disk start earlier, it changes nothing in the file, so a crash
//! at any moment is handled by the journal exactly as before.
//!
//! One hazard, from SQLite's "how to corrupt" notes (§2.2): closing *any* descriptor of a database file
//! releases every POSIX lock the process holds on it, SQLite's included. So the descriptor is opened once,
//! and handed back by `stop` to be closed only once the import's transaction has ended and, in rollback mode,
//! SQLite holds no lock on the file. It is used only in rollback mode (`Case::begin_import`).

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const EVERY: Duration = Duration::from_millis(200);

#[derive(Debug)]
pub(crate) struct BackgroundSync {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<File>>,
}

impl BackgroundSync {
    /// Starts syncing `path`; `None` when the file cannot be opened (the import then simply goes without).
    pub(crate) fn start(path: &Path) -> Option<BackgroundSync> {
        let file = File::open(path).ok()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("case-sync".into())
            .spawn(move || {
                while !flag.load(Ordering::Acquire) {
                    std::thread::park_timeout(EVERY);
                    if flag.load(Ordering::Acquire) {
                        break;
                    }
                    // A failure here is not the import's: the commit's own fsync reports real trouble.
                    let _ = file.sync_data();
                }
                file
            })
            .ok()?;
        Some(BackgroundSync {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the thread and closes the descriptor. Call only when the import's transaction has ended.
    pub(crate) fn stop(mut self) {
        self.end();
    }

    fn end(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            // Dropping the returned file closes the descriptor, here and now.
            drop(t.join());
        }
    }
}

impl Drop for BackgroundSync {
    /// `Case` declares its connection before this, so when a case is dropped mid-import the connection (and
    /// its locks) is gone before the descriptor is closed.
    fn drop(&mut self) {
        self.end();
    }
}
