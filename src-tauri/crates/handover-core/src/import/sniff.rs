//! Recognising a file from its first bytes: what kind of file it is, the encoding of a text file, and its
//! delimiter. The name of the file is never trusted: owners rename files, and back-ends name their exports
//! whatever they like.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use super::error::ReadError;
use super::types::Format;

/// Candidate delimiters, in order of preference when two fit equally well.
pub const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Records looked at to choose the delimiter.
const DELIMITER_SAMPLE_RECORDS: usize = 50;

/// What the first bytes say the file is. `head` is the start of the file (up to [`super::SNIFF_BYTES`]).
/// Refuses, with one plain reason, what is not a table: nothing at all, binary data, a web page.
pub fn format_of(head: &[u8]) -> Result<Format, ReadError> {
    if head.is_empty() {
        return Err(ReadError::Empty);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        // OpenDocument stores its mimetype uncompressed as the first zip entry; xlsb names its binary
        // workbook part. Everything else zipped is tried as xlsx (the reader says if it is not one).
        if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        if contains(head, b"xl/workbook.bin") {
            return Ok(Format::Xlsb);
        }
        return Ok(Format::Xlsx);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    if has_binary_magic(head) {
        return Err(ReadError::Binary);
    }
    if let Some(enc) = utf16_bom(head).or_else(|| utf16_without_bom(head)) {
        // A NUL in every other byte also happens in binary formats; real UTF-16 text decodes to few
        // control characters.
        // An odd byte at the end (of the sample, or of a file with one byte too many) is half a unit.
        let (text, _) = enc.decode_with_bom_removal(&head[..head.len() & !1]);
        if controls_per_mille(&text) > 10 {
            return Err(ReadError::Binary);
        }
        if text.trim().is_empty() {
            return Err(ReadError::Empty);
        }
        return Ok(Format::Utf16Text);
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // Text in any ASCII-compatible encoding has few NUL and other control bytes (a stray NUL or two from a
    // broken export does not make a table binary); images, archives and programs have many. UTF-16, whose
    // NULs are half its bytes, was recognised above.
    let controls = body
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls * 100 > body.len() {
        return Err(ReadError::Binary);
    }
    if is_markup(body) {
        return Err(ReadError::MarkupExport);
    }
    Ok(Format::Csv)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Well-known binary formats whose first bytes could otherwise pass for text (a PDF starts in ASCII).
fn has_binary_magic(head: &[u8]) -> bool {
    const MAGIC: [&[u8]; 9] = [
        b"%PDF-",
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF87a",
        b"GIF89a",
        b"Rar!\x1A\x07",
        b"7z\xBC\xAF\x27\x1C",
        b"\x1F\x8B",
        b"\x7FELF",
    ];
    MAGIC.iter().any(|m| head.starts_with(m))
}

/// An HTML page or an Excel 2003 XML spreadsheet: many back-ends export these under a `.xls` name.
fn is_markup(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if body.get(start) != Some(&b'<') {
        return false;
    }
    let lower: Vec<u8> = body.iter().take(8192).map(u8::to_ascii_lowercase).collect();
    [
        &b"<html"[..],
        b"<table",
        b"<!doctype html",
        b"urn:schemas-microsoft-com:office:spreadsheet",
    ]
    .iter()
    .any(|m| contains(&lower, m))
}

fn controls_per_mille(text: &str) -> usize {
    let total = text.chars().count().max(1);
    let bad = text
        .chars()
        .filter(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || c == '\u{FFFD}')
        .count();
    bad * 1000 / total
}

fn utf16_bom(head: &[u8]) -> Option<&'static Encoding> {
    match head {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => None,
    }
}

/// UTF-16 without a byte-order mark: ASCII characters (delimiters, digits, line breaks) leave a NUL in every
/// other byte, on the high side: odd offsets for little-endian, even offsets for big-endian.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let pairs = n / 2;
    let even_nul = head[..n].iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = head[1..n].iter().step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 > pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 > pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding of a text file and the name shown to the owner (`UTF-8`, `UTF-8 (BOM)`, `GB18030`,
/// `UTF-16LE`, …). `forced` is the owner's choice, by label; `complete` says `head` is the whole file.
///
/// Order: the owner's choice; a byte-order mark; UTF-16 by its NUL pattern; valid UTF-8; otherwise chardetng,
/// told the file comes from China (TLD `cn`), where Excel writes GBK. GBK and GB2312 are decoded as
/// GB18030, their superset, so no character of theirs is lost.
pub fn encoding_of(
    head: &[u8],
    forced: Option<&str>,
    complete: bool,
) -> Result<(&'static Encoding, String), ReadError> {
    let has_utf8_bom = head.starts_with(b"\xEF\xBB\xBF");
    if let Some(label) = forced {
        let enc = encoding_for_label(label)?;
        let name = if enc == UTF_8 && has_utf8_bom {
            "UTF-8 (BOM)".to_string()
        } else {
            encoding_name(enc)
        };
        return Ok((enc, name));
    }
    if has_utf8_bom {
        return Ok((UTF_8, "UTF-8 (BOM)".into()));
    }
    if let Some(enc) = utf16_bom(head).or_else(|| utf16_without_bom(head)) {
        return Ok((enc, encoding_name(enc)));
    }
    // Valid UTF-8, allowing a character cut off at the end of the sample.
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && !complete,
    };
    if utf8 {
        return Ok((UTF_8, "UTF-8".into()));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, complete);
    let guess = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let enc = if guess == GBK { GB18030 } else { guess };
    Ok((enc, encoding_name(enc)))
}

/// An encoding by the label the owner typed or picked.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, ReadError> {
    let t = label.trim();
    let t = t.strip_suffix("(BOM)").unwrap_or(t).trim();
    let upper = t.to_ascii_uppercase();
    let enc = match upper.as_str() {
        "GBK" | "GB2312" | "GB18030" | "CP936" | "936" | "ANSI" => Some(GB18030),
        "UTF8" => Some(UTF_8),
        "UTF16" | "UTF-16" | "UNICODE" => Some(UTF_16LE),
        _ => Encoding::for_label(t.as_bytes()),
    };
    match enc {
        // encoding_rs maps a few labels to "replacement" or the x-user-defined decoder; neither is text.
        Some(e) if e != encoding_rs::REPLACEMENT && e != encoding_rs::X_USER_DEFINED => Ok(e),
        _ => Err(ReadError::UnknownEncoding(label.to_string())),
    }
}

/// The name shown to the owner.
pub fn encoding_name(enc: &'static Encoding) -> String {
    if enc == GB18030 || enc == GBK {
        "GB18030".into()
    } else {
        enc.name().to_string()
    }
}

/// The delimiter of a text sample (already decoded): the one whose split gives the most records with one
/// consistent field count above one, quotes respected. Ties go to the wider split, then to the order of
/// [`DELIMITERS`]. A sample that no delimiter splits (one column) gets a comma.
pub fn delimiter_of(sample: &str) -> u8 {
    let mut best: Option<(usize, usize, u8)> = None;
    for d in DELIMITERS {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(sample.as_bytes());
        let mut record = csv::ByteRecord::new();
        let mut widths = Vec::with_capacity(DELIMITER_SAMPLE_RECORDS);
        while widths.len() < DELIMITER_SAMPLE_RECORDS {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {
                    if record.iter().any(|f| !f.trim_ascii().is_empty()) {
                        widths.push(record.len());
                    }
                }
                Ok(false) | Err(_) => break,
            }
        }
        let (mode, count) = modal(&widths);
        if mode > 1 && best.is_none_or(|(c, m, _)| (count, mode) > (c, m)) {
            best = Some((count, mode, d));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

/// The most common value and how often it occurs (ties go to the larger value); `(0, 0)` for none.
pub(crate) fn modal(values: &[usize]) -> (usize, usize) {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for &v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(v, c)| (c, v))
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_magic_bytes() {
        assert_eq!(format_of(b"PK\x03\x04rest"), Ok(Format::Xlsx));
        let mut ods =
            b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK"
                .to_vec();
        ods.extend([0u8; 10]);
        assert_eq!(format_of(&ods), Ok(Format::Ods));
        assert_eq!(
            format_of(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Ok(Format::Xls)
        );
        assert_eq!(format_of(b"a,b\n1,2\n"), Ok(Format::Csv));
        assert_eq!(format_of(b"\xEF\xBB\xBF"), Err(ReadError::Empty));
        assert_eq!(format_of(b" \r\n\t"), Err(ReadError::Empty));
        assert_eq!(format_of(b"%PDF-1.7\n%abc"), Err(ReadError::Binary));
        assert_eq!(
            format_of(b"<html><body><table><tr><td>1</td></tr></table>"),
            Err(ReadError::MarkupExport)
        );
        assert_eq!(
            format_of(b"<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"),
            Err(ReadError::MarkupExport)
        );
        let utf16: Vec<u8> = "a\tb\r\n1\t2\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(format_of(&utf16), Ok(Format::Utf16Text));
        let utf16be: Vec<u8> = "a\tb\r\n1\t2\r\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            encoding_of(&utf16be, None, true).unwrap().1,
            "UTF-16BE".to_string()
        );
    }

    #[test]
    fn encodings_by_label_and_detection() {
        assert_eq!(encoding_for_label("gbk"), Ok(GB18030));
        assert_eq!(encoding_for_label("UTF-8 (BOM)"), Ok(UTF_8));
        assert_eq!(encoding_for_label("utf-16le"), Ok(UTF_16LE));
        assert_eq!(
            encoding_for_label("big5").map(encoding_name),
            Ok("Big5".into())
        );
        assert_eq!(
            encoding_for_label("klingon"),
            Err(ReadError::UnknownEncoding("klingon".into()))
        );
        let (gbk, _, _) = GBK.encode("姓名,手机,地址\r\n张三,13812345678,北京市朝阳区\r\n");
        assert_eq!(encoding_of(&gbk, None, true).unwrap().1, "GB18030");
        // A UTF-8 sample cut in the middle of a character is still UTF-8.
        let utf8 = "姓名,手机\n张三,1".as_bytes();
        assert_eq!(
            encoding_of(&utf8[..utf8.len() - 4], None, false).unwrap().1,
            "UTF-8"
        );
        assert_eq!(encoding_of(b"a,b", Some("GBK"), true).unwrap().1, "GB18030");
    }

    #[test]
    fn delimiters_by_consistency() {
        assert_eq!(delimiter_of("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(delimiter_of("标题\n\na;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(delimiter_of("a|b\n1|\"x|y\"\n"), b'|');
        assert_eq!(delimiter_of("a\tb,c\n1\t2,3\n4\t5\n"), b'\t');
        // Commas inside quotes do not count.
        assert_eq!(delimiter_of("a;b\n\"1,2,3\";x\n\"4,5\";y\n"), b';');
        assert_eq!(delimiter_of("just one column\nof text\n"), b',');
    }
}
