//! The app's own settings, kept in its config folder: the language and the list of recent cases.
//! Paths only, never customer data: the config folder is not encrypted.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::i18n::Lang;

const FILE_NAME: &str = "settings.json";
/// How many recent cases the home screen lists.
pub const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub language: Lang,
    #[serde(default)]
    pub recent: Vec<RecentEntry>,
    /// The person who works cases on this laptop (经办人), as they gave their name; empty: each case's
    /// responsible person.
    #[serde(default)]
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEntry {
    pub path: PathBuf,
    pub last_opened: String,
}

/// A recent case as the home screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentCase {
    pub path: String,
    /// The file name without `.handover`.
    pub name: String,
    pub last_opened: String,
    /// False when the file has been moved or deleted since.
    pub exists: bool,
}

/// The settings file in one config folder.
#[derive(Debug, Clone)]
pub struct Config {
    dir: PathBuf,
}

impl Config {
    pub fn new(dir: impl Into<PathBuf>) -> Config {
        Config { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the settings. A missing or unreadable file gives the defaults: losing the recent list is an
    /// inconvenience, never a reason to stop the app from starting.
    pub fn load(&self) -> Settings {
        fs::read(self.dir.join(FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes atomically (temporary file, then rename), so a crash never leaves half a settings file.
    pub fn save(&self, settings: &Settings) -> Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let path = self.dir.join(FILE_NAME);
        let tmp = self
            .dir
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let json =
            serde_json::to_vec_pretty(settings).map_err(|e| Error::Internal(e.to_string()))?;
        fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    pub fn language(&self) -> Lang {
        self.load().language
    }

    pub fn set_language(&self, lang: Lang) -> Result<()> {
        let mut s = self.load();
        s.language = lang;
        self.save(&s)
    }

    pub fn operator(&self) -> String {
        self.load().operator
    }

    pub fn set_operator(&self, name: &str) -> Result<()> {
        let mut s = self.load();
        s.operator = name.trim().to_string();
        self.save(&s)
    }

    pub fn recent(&self) -> Vec<RecentCase> {
        self.load()
            .recent
            .into_iter()
            .map(|e| RecentCase {
                name: e
                    .path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                exists: e.path.is_file(),
                path: e.path.display().to_string(),
                last_opened: e.last_opened,
            })
            .collect()
    }

    /// Puts a case at the top of the recent list.
    pub fn touch_recent(&self, path: &Path) -> Result<()> {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let mut s = self.load();
        s.recent.retain(|e| e.path != path);
        s.recent.insert(
            0,
            RecentEntry {
                path,
                last_opened: crate::clock::now(),
            },
        );
        s.recent.truncate(MAX_RECENT);
        self.save(&s)
    }

    pub fn forget_recent(&self, path: &Path) -> Result<()> {
        let mut s = self.load();
        s.recent.retain(|e| e.path != path);
        self.save(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_is_most_recent_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config::new(dir.path().join("cfg"));
        let a = dir.path().join("a.handover");
        let b = dir.path().join("b.handover");
        fs::write(&a, b"x").unwrap();
        cfg.touch_recent(&a).unwrap();
        cfg.touch_recent(&b).unwrap();
        cfg.touch_recent(&a).unwrap();
        let r = cfg.recent();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "a");
        assert!(r[0].exists);
        assert!(!r[1].exists);
        cfg.forget_recent(Path::new(&r[1].path)).unwrap();
        assert_eq!(cfg.recent().len(), 1);
    }

    #[test]
    fn a_broken_settings_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        let cfg = Config::new(dir.path());
        assert_eq!(cfg.load(), Settings::default());
        cfg.set_language(Lang::En).unwrap();
        assert_eq!(cfg.language(), Lang::En);
    }
}
