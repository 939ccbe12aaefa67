//! Finding the fonts: Noto Sans CJK SC (SIL OFL), Regular and Bold, from Debian's `fonts-noto-cjk` (the
//! installed `.deb` depends on it), a folder named by `HANDOVER_FONT_DIR`, or a `fonts/` folder next to the
//! executable. The whole collection is loaded (no GB2312-only subset), so rare name characters (生僻字) render.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::Font;

use crate::DocumentError;

/// The family every document is set in.
pub const FAMILY: &str = "Noto Sans CJK SC";

/// The Debian package that brings the font.
pub const PACKAGE: &str = "fonts-noto-cjk";

/// The environment variable naming a folder that holds the font files.
pub const FONT_DIR_VAR: &str = "HANDOVER_FONT_DIR";

/// File names tried in each folder, per weight: Debian's collections, then the single-face OTFs that
/// other distributions and Google's release ship.
const REGULAR_FILES: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
];
const BOLD_FILES: &[&str] = &[
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJKsc-Bold.otf",
    "NotoSansSC-Bold.otf",
];

/// The folders searched, in order.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os(FONT_DIR_VAR) {
        dirs.push(PathBuf::from(d));
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            dirs.push(dir.join("fonts"));
            dirs.push(dir.join("../share/handover/fonts"));
        }
    }
    for d in [
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/truetype/noto",
        "/usr/share/fonts/noto-cjk",
        "/usr/share/fonts/google-noto-cjk",
        "/usr/share/fonts/opentype/noto-cjk",
        "/usr/local/share/fonts",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

fn find(dirs: &[PathBuf], files: &[&str]) -> Option<PathBuf> {
    dirs.iter()
        .flat_map(|d| files.iter().map(move |f| d.join(f)))
        .find(|p| p.is_file())
}

/// The faces of [`FAMILY`] in one file, or the error naming what is missing.
fn load(path: &Path, weight: &str, bold: bool) -> Result<Vec<Font>, DocumentError> {
    let data = std::fs::read(path).map_err(|e| DocumentError::Font {
        font: format!("{FAMILY} {weight}"),
        reason: format!("{}: {e}", path.display()),
    })?;
    let faces: Vec<Font> = Font::iter(Bytes::new(data))
        .filter(|f| f.info().family == FAMILY)
        .filter(|f| (f.info().variant.weight.to_number() >= 600) == bold)
        .collect();
    if faces.is_empty() {
        return Err(DocumentError::Font {
            font: format!("{FAMILY} {weight}"),
            reason: format!("{} holds no {FAMILY} {weight} face", path.display()),
        });
    }
    Ok(faces)
}

/// Finds and loads Regular and Bold from `dirs`.
pub fn load_from(dirs: &[PathBuf]) -> Result<Vec<Font>, DocumentError> {
    let missing = |weight: &str| DocumentError::FontMissing {
        font: format!("{FAMILY} {weight}"),
        package: PACKAGE,
        looked_in: dirs.to_vec(),
    };
    let regular = find(dirs, REGULAR_FILES).ok_or_else(|| missing("Regular"))?;
    let bold = find(dirs, BOLD_FILES).ok_or_else(|| missing("Bold"))?;
    let mut fonts = load(&regular, "Regular", false)?;
    fonts.extend(load(&bold, "Bold", true)?);
    Ok(fonts)
}

/// The fonts, loaded once per process (two ~20 MB files; the first document pays ~0.9 s).
pub fn fonts() -> Result<&'static [Font], DocumentError> {
    static FONTS: OnceLock<Result<Vec<Font>, DocumentError>> = OnceLock::new();
    match FONTS.get_or_init(|| load_from(&search_dirs())) {
        Ok(f) => Ok(f),
        Err(e) => Err(e.clone()),
    }
}
