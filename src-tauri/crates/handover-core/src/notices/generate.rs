//! Writing the notices a case needs into a folder: per notice, the SMS text, the SMS platform's file, the
//! letters' models and the poster. Every file goes through `output::write_atomic`, every CSV through
//! `output::SafeCsvWriter`; the list of files with their SHA-256 is audited (`notices.generate`) with the
//! template's SHA-256.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::kinds::{NoticeForm, NoticeKind};
use super::model::{
    for_each_recipient, letter_for, poster_for, sms_for, NoticeContext, NoticeCustomer,
};
use super::sms::SmsText;
use super::template;
use crate::i18n::Lang;
use crate::output::{write_atomic, SafeCsvWriter};
use crate::rules::prepaid::money_string;
use crate::store::{Actor, Case};
use crate::{Error, Result};

/// One notice the case needs, as the notices step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeSummary {
    pub notice: NoticeKind,
    pub title: String,
    /// Customers who receive it one by one.
    pub customers: u64,
    /// Of them, customers with a mobile number (the SMS and the platform file reach only them).
    pub with_phone: u64,
    /// The SMS; for a creditor notice the template with the platform variable `${balance}`.
    pub sms: SmsText,
    /// The longest SMS among the customers (units), and its parts.
    pub longest_units: u32,
    pub longest_parts: u32,
    pub poster_title: String,
    pub poster: Vec<String>,
}

/// The notices of a case, without writing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticesPreview {
    pub lang: Lang,
    pub signature: String,
    pub notices: Vec<NoticeSummary>,
    pub template_sha256: String,
}

/// Reads the plan once per notice and summarises what would be sent. Refused when an SMS does not fit
/// its declared parts.
pub fn preview(case: &Case, lang: Lang) -> Result<NoticesPreview> {
    let details = case.details()?;
    case.read(|conn| {
        let ctx = NoticeContext::load(conn, &details)?;
        let mut notices = Vec::new();
        for &kind in &ctx.notices {
            notices.push(summarise(conn, &ctx, kind, lang)?);
        }
        Ok(NoticesPreview {
            lang,
            signature: ctx.signature.clone(),
            notices,
            template_sha256: template::templates(lang)?.sha256.clone(),
        })
    })
}

fn summarise(
    conn: &rusqlite::Connection,
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
) -> Result<NoticeSummary> {
    let sms = sms_for(ctx, kind, lang, None)?;
    let (mut customers, mut with_phone, mut longest) = (0u64, 0u64, 0u32);
    let fixed = !kind.is_creditor();
    for_each_recipient(conn, ctx, &mut |k, c| {
        if k != kind {
            return Ok(());
        }
        customers += 1;
        if c.phone.is_some() {
            with_phone += 1;
        }
        if !fixed {
            let s = sms_for(ctx, kind, lang, c.balance.map(money_string).as_deref())?;
            longest = longest.max(s.units);
        }
        Ok(())
    })?;
    if fixed && customers > 0 {
        longest = sms.units;
    }
    let (poster_title, poster) = poster_for(ctx, kind, lang)?;
    Ok(NoticeSummary {
        notice: kind,
        title: template::templates(lang)?.notice(kind).title.clone(),
        customers,
        with_phone,
        longest_parts: super::sms::parts_for(longest),
        longest_units: longest,
        sms,
        poster_title,
        poster,
    })
}

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticesRequest {
    #[ts(type = "string")]
    pub out_dir: PathBuf,
    /// Empty: every form.
    pub forms: Vec<NoticeForm>,
    pub lang: Lang,
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WrittenFile {
    pub path: String,
    pub notice: NoticeKind,
    pub form: NoticeForm,
    pub sha256: String,
    pub bytes: u64,
    /// Customers in the file (letters, platform file); 0 for a text or a poster.
    pub customers: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticesReport {
    pub files: Vec<WrittenFile>,
    pub notices: Vec<NoticeSummary>,
    pub template_sha256: String,
}

fn sha256_of(path: &Path) -> Result<(String, u64)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((hex::encode(Sha256::digest(&bytes)), bytes.len() as u64))
}

/// Writes the chosen forms of every notice the case needs into `out_dir` (created if missing):
/// `<notice>-sms.txt`, `<notice>-sms.csv`, `<notice>-letters.jsonl` (one [`super::model::NoticeModel`] per
/// line, masked, for the documents crate to render), `<notice>-poster.txt`. Audited with every file's SHA-256.
pub fn write_notices(
    case: &Case,
    request: &NoticesRequest,
    actor: &Actor,
) -> Result<NoticesReport> {
    let forms: Vec<NoticeForm> = if request.forms.is_empty() {
        NoticeForm::ALL.to_vec()
    } else {
        request.forms.clone()
    };
    let lang = request.lang;
    let dir = &request.out_dir;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let details = case.details()?;
    let t = template::templates(lang)?;
    let (files, notices) = case.read(|conn| {
        let ctx = NoticeContext::load(conn, &details)?;
        let mut files = Vec::new();
        let mut notices = Vec::new();
        for &kind in &ctx.notices {
            let summary = summarise(conn, &ctx, kind, lang)?;
            for &form in &forms {
                let path = dir.join(file_name(kind, form));
                files.push(write_form(conn, &ctx, &summary, form, lang, &path)?);
            }
            notices.push(summary);
        }
        Ok((files, notices))
    })?;
    case.write(actor, |w| {
        w.audit(
            "notices.generate",
            serde_json::json!({
                "lang": lang,
                "template_sha256": t.sha256,
                "files": files_json(&files),
                "notices": notices.iter().map(|n| serde_json::json!({
                    "notice": n.notice.id(), "customers": n.customers, "with_phone": n.with_phone,
                })).collect::<Vec<_>>(),
            }),
        )?;
        Ok(())
    })?;
    Ok(NoticesReport {
        files,
        notices,
        template_sha256: t.sha256.clone(),
    })
}

/// The files of a `notices.generate` audit entry: each file's name (not its folder), notice, form, SHA-256
/// and customers.
fn files_json(files: &[WrittenFile]) -> Vec<serde_json::Value> {
    files
        .iter()
        .map(|f| {
            serde_json::json!({
                "file": Path::new(&f.path).file_name().map(|n| n.to_string_lossy().into_owned()),
                "notice": f.notice.id(), "form": f.form.id(), "sha256": f.sha256, "customers": f.customers,
            })
        })
        .collect()
}

/// The file name a form of a notice is written under in a folder.
pub fn file_name(kind: NoticeKind, form: NoticeForm) -> String {
    let base = kind.id();
    match form {
        NoticeForm::Sms => format!("{base}-sms.txt"),
        NoticeForm::Csv => format!("{base}-sms.csv"),
        NoticeForm::Letter => format!("{base}-letters.jsonl"),
        NoticeForm::Poster => format!("{base}-poster.txt"),
    }
}

/// Writes one form of one notice to `path` (atomically) and describes the file.
fn write_form(
    conn: &rusqlite::Connection,
    ctx: &NoticeContext,
    summary: &NoticeSummary,
    form: NoticeForm,
    lang: Lang,
    path: &Path,
) -> Result<WrittenFile> {
    let kind = summary.notice;
    let customers = match form {
        NoticeForm::Sms => {
            let text = format!("{}\r\n{}\r\n", summary.sms.text, sms_line(lang, summary));
            write_atomic(path, |out| out.write_all(text.as_bytes()))
                .map_err(|e| Error::io(path, e))?;
            0
        }
        NoticeForm::Poster => {
            let text = std::iter::once(summary.poster_title.clone())
                .chain(summary.poster.iter().cloned())
                .collect::<Vec<_>>()
                .join("\r\n\r\n");
            write_atomic(path, |out| out.write_all(text.as_bytes()))
                .map_err(|e| Error::io(path, e))?;
            0
        }
        NoticeForm::Csv => write_platform_csv(conn, ctx, kind, lang, path)?,
        NoticeForm::Letter => write_letters(conn, ctx, kind, lang, path)?,
    };
    let (sha256, bytes) = sha256_of(path)?;
    Ok(WrittenFile {
        path: path.display().to_string(),
        notice: kind,
        form,
        sha256,
        bytes,
        customers,
    })
}

/// Saves one form of one notice where the owner chose (the notices step's save dialog). Refused for a notice
/// the case does not need. Audited like [`write_notices`].
pub fn save_form(
    case: &Case,
    kind: NoticeKind,
    form: NoticeForm,
    path: &Path,
    lang: Lang,
    actor: &Actor,
) -> Result<WrittenFile> {
    let details = case.details()?;
    let t = template::templates(lang)?;
    let file = case.read(|conn| {
        let ctx = NoticeContext::load(conn, &details)?;
        if !ctx.notices.contains(&kind) {
            return Err(Error::NotFound("notice"));
        }
        let summary = summarise(conn, &ctx, kind, lang)?;
        write_form(conn, &ctx, &summary, form, lang, path)
    })?;
    case.write(actor, |w| {
        w.audit(
            "notices.generate",
            serde_json::json!({
                "lang": lang,
                "template_sha256": t.sha256,
                "files": files_json(std::slice::from_ref(&file)),
            }),
        )?;
        Ok(())
    })?;
    Ok(file)
}

/// The line under an SMS text: its length and parts (worded by the template's language).
fn sms_line(lang: Lang, s: &NoticeSummary) -> String {
    // Figures only; the words are the two languages' units.
    match lang {
        Lang::ZhCn => format!(
            "# {} 字，{} 条（声明 {} 条）；最长 {} 字，{} 条；收件客户 {}，有手机号 {}",
            s.sms.units,
            s.sms.parts,
            s.sms.declared_parts,
            s.longest_units,
            s.longest_parts,
            s.customers,
            s.with_phone
        ),
        Lang::En => format!(
            "# {} units, {} part(s) (declared {}); longest {} units, {} part(s); customers {}, with a mobile {}",
            s.sms.units,
            s.sms.parts,
            s.sms.declared_parts,
            s.longest_units,
            s.longest_parts,
            s.customers,
            s.with_phone
        ),
    }
}

/// The header of the SMS platform file, in the template's language.
fn csv_header(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::ZhCn => ["手机号", "称呼", "短信内容", "字数", "条数"],
        Lang::En => ["mobile", "name", "text", "units", "parts"],
    }
}

/// The SMS platform file of one notice: a row per customer with a mobile number. Returns the rows.
pub fn write_platform_csv(
    conn: &rusqlite::Connection,
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
    path: &Path,
) -> Result<u64> {
    let mut result: Result<u64> = Ok(0);
    write_atomic(path, |out| {
        let mut csv = SafeCsvWriter::new(out)?;
        csv.write_row(csv_header(lang))?;
        result = platform_rows(conn, ctx, kind, lang, &mut |c, s| {
            csv.write_row(platform_row(c, s))
                .map_err(|e| Error::io(path, e))
        });
        if result.is_err() {
            return Err(std::io::Error::other("stopped"));
        }
        csv.finish()?;
        Ok(())
    })
    .or_else(|e| if result.is_err() { Ok(()) } else { Err(e) })
    .map_err(|e| Error::io(path, e))?;
    result
}

/// One row of the SMS platform file: the mobile number (normalised, 11 digits), the name as the letter
/// addresses the customer (masked), the text, its units and parts. Written through `SafeCsvWriter` only.
pub fn platform_row(c: &NoticeCustomer, s: &SmsText) -> [String; 5] {
    [
        c.phone.clone().unwrap_or_default(),
        c.name.clone(),
        s.text.clone(),
        s.units.to_string(),
        s.parts.to_string(),
    ]
}

/// Every SMS of a notice with its customer (customers with a mobile number only). Returns how many.
pub fn platform_rows(
    conn: &rusqlite::Connection,
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
    f: &mut dyn FnMut(&NoticeCustomer, &SmsText) -> Result<()>,
) -> Result<u64> {
    let fixed = if kind.is_creditor() {
        None
    } else {
        Some(sms_for(ctx, kind, lang, None)?)
    };
    let mut n = 0;
    for_each_recipient(conn, ctx, &mut |k, c| {
        if k != kind || c.phone.is_none() {
            return Ok(());
        }
        let s = match &fixed {
            Some(s) => s.clone(),
            None => sms_for(ctx, kind, lang, c.balance.map(money_string).as_deref())?,
        };
        n += 1;
        f(c, &s)
    })?;
    Ok(n)
}

fn write_letters(
    conn: &rusqlite::Connection,
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
    path: &Path,
) -> Result<u64> {
    let mut result: Result<u64> = Ok(0);
    write_atomic(path, |out| {
        let mut n = 0u64;
        let streamed = for_each_recipient(conn, ctx, &mut |k, c| {
            if k != kind {
                return Ok(());
            }
            let model = letter_for(ctx, kind, lang, c)?;
            serde_json::to_writer(&mut *out, &model)?;
            out.write_all(b"\n").map_err(|e| Error::io(path, e))?;
            n += 1;
            Ok(())
        });
        result = streamed.map(|()| n);
        if result.is_err() {
            return Err(std::io::Error::other("stopped"));
        }
        Ok(())
    })
    .or_else(|e| if result.is_err() { Ok(()) } else { Err(e) })
    .map_err(|e| Error::io(path, e))?;
    result
}

/// The most letters one letters PDF holds: letters go to the customers an SMS cannot reach; beyond this
/// many, the SMS platform file and the poster are the way to reach them (a PDF of tens of thousands of
/// pages is neither printable nor quick to make).
pub const MAX_LETTERS_PER_FILE: u64 = 5_000;

/// One letter as the documents crate lays it out (`assets/documents/letter.<lang>.toml`): the notice to one
/// customer, filled and masked, with the masking style named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDocument {
    pub title: String,
    /// The customer as addressed, masked.
    pub customer: String,
    pub paragraphs: Vec<String>,
    pub seller: String,
    pub handover_date: String,
    /// The masking style's name, printed at the foot of the letter.
    pub mask_style: String,
}

/// The shop-window poster as the documents crate lays it out (`assets/documents/poster.<lang>.toml`): no
/// personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterDocument {
    pub title: String,
    pub paragraphs: Vec<String>,
    pub seller: String,
    pub seller_contact: String,
    pub handover_date: String,
}

/// The letters of a notice to its customers without a mobile number (the SMS and the platform file reach
/// the others), in customer order. Refused beyond [`MAX_LETTERS_PER_FILE`].
pub fn letters_without_phone(
    case: &Case,
    kind: NoticeKind,
    lang: Lang,
) -> Result<Vec<LetterDocument>> {
    let details = case.details()?;
    case.read(|conn| {
        let ctx = NoticeContext::load(conn, &details)?;
        if !ctx.notices.contains(&kind) {
            return Err(Error::NotFound("notice"));
        }
        let mut letters = Vec::new();
        let mut count = 0u64;
        for_each_recipient(conn, &ctx, &mut |k, c| {
            if k != kind || c.phone.is_some() {
                return Ok(());
            }
            count += 1;
            if count <= MAX_LETTERS_PER_FILE {
                let m = letter_for(&ctx, kind, lang, c)?;
                letters.push(LetterDocument {
                    title: m.title,
                    customer: m.customer,
                    paragraphs: m.paragraphs,
                    seller: m.seller,
                    handover_date: m.handover_date,
                    mask_style: crate::i18n::Label::label(ctx.mask_style, lang).to_string(),
                });
            }
            Ok(())
        })?;
        if count > MAX_LETTERS_PER_FILE {
            return Err(super::error::NoticeError::TooManyLetters {
                notice: kind.id().to_string(),
                letters: count,
                max: MAX_LETTERS_PER_FILE,
            }
            .into());
        }
        Ok(letters)
    })
}

/// The poster of a notice the case needs.
pub fn poster_document(case: &Case, kind: NoticeKind, lang: Lang) -> Result<PosterDocument> {
    let details = case.details()?;
    case.read(|conn| {
        let ctx = NoticeContext::load(conn, &details)?;
        if !ctx.notices.contains(&kind) {
            return Err(Error::NotFound("notice"));
        }
        let (title, paragraphs) = poster_for(&ctx, kind, lang)?;
        Ok(PosterDocument {
            title,
            paragraphs,
            seller: ctx.seller.clone(),
            seller_contact: ctx.seller_contact.clone(),
            handover_date: ctx.handover_date.clone(),
        })
    })
}

/// Records files of notices written at the edges (the letters and poster PDFs the documents crate renders)
/// as [`write_notices`] records its own: one `notices.generate` entry.
pub fn record_written_files(
    case: &Case,
    lang: Lang,
    files: &[WrittenFile],
    document_template_sha256: &str,
    actor: &Actor,
) -> Result<()> {
    let t = template::templates(lang)?;
    case.write(actor, |w| {
        w.audit(
            "notices.generate",
            serde_json::json!({
                "lang": lang,
                "template_sha256": t.sha256,
                "document_template_sha256": document_template_sha256,
                "files": files_json(files),
            }),
        )?;
        Ok(())
    })
}
