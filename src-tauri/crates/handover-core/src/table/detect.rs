//! Recognising a file: its format from the first bytes, the encoding of a text file, its delimiter, and
//! which row is the header.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use super::{Format, TableError};

/// What the first bytes say.
pub fn format_of(head: &[u8]) -> Result<Format, TableError> {
    if head.is_empty() {
        return Err(TableError::Empty);
    }
    if head.starts_with(b"PK\x03\x04") {
        // OpenDocument stores its mimetype uncompressed as the first entry.
        let ods = head
            .windows(39)
            .any(|w| w == b"application/vnd.oasis.opendocument.spr");
        return Ok(if ods { Format::Ods } else { Format::Xlsx });
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    if utf16_bom(head).is_some() || utf16_without_bom(head).is_some() {
        return Ok(Format::Utf16Text);
    }
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TableError::Empty);
    }
    // Text has no NUL and few control bytes; images, archives and executables have many.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if head.contains(&0) || controls * 100 > head.len() {
        return Err(TableError::Binary);
    }
    Ok(Format::Csv)
}

fn utf16_bom(head: &[u8]) -> Option<&'static Encoding> {
    match head {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => None,
    }
}

/// UTF-16 without a byte-order mark: ASCII characters leave a NUL in every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let pairs = n / 2;
    let even_nul = (0..n).step_by(2).filter(|&i| head[i] == 0).count();
    let odd_nul = (1..n).step_by(2).filter(|&i| head[i] == 0).count();
    if odd_nul * 10 > pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 > pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding of a text file and the name shown to the owner.
pub fn encoding_of(
    head: &[u8],
    forced: Option<&str>,
) -> Result<(&'static Encoding, String), TableError> {
    if let Some(label) = forced {
        let enc = match label.trim().to_ascii_uppercase().as_str() {
            // What the owner sees is GB18030 (a superset of GBK and GB2312): decode with it.
            "GBK" | "GB2312" | "GB18030" | "CP936" => GB18030,
            other => Encoding::for_label(other.as_bytes())
                .ok_or_else(|| TableError::UnknownEncoding(label.to_string()))?,
        };
        return Ok((enc, enc.name().to_ascii_uppercase()));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok((UTF_8, "UTF-8 (BOM)".into()));
    }
    if let Some(enc) = utf16_bom(head).or_else(|| utf16_without_bom(head)) {
        return Ok((enc, enc.name().to_ascii_uppercase()));
    }
    // Valid UTF-8 (allowing a character cut at the end of the sample) is UTF-8; otherwise ask chardetng,
    // hinting that the file comes from China, where Excel writes GBK.
    let valid_up_to = match std::str::from_utf8(head) {
        Ok(_) => head.len(),
        Err(e) => e.valid_up_to(),
    };
    if head.len() - valid_up_to < 4 {
        return Ok((UTF_8, "UTF-8".into()));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, false);
    let guess = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let enc = if guess == encoding_rs::GBK || guess == GB18030 {
        GB18030
    } else {
        guess
    };
    Ok((enc, enc.name().to_ascii_uppercase()))
}

/// The delimiter whose split gives the most rows with one consistent field count above one.
pub fn delimiter_of(sample: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(sample.as_bytes());
        let widths: Vec<usize> = rdr
            .records()
            .take(50)
            .filter_map(|r| r.ok())
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        let (mode, count) = modal(&widths);
        if mode > 1 && (count > best.1 || (count == best.1 && mode > best.2)) {
            best = (d, count, mode);
        }
    }
    best.0
}

/// The most common value and how often it occurs (ties go to the larger value).
pub fn modal(values: &[usize]) -> (usize, usize) {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(*v).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(v, c)| (*c, *v))
        .unwrap_or((0, 0))
}

/// Picks the header among the first rows: the first row that fills most of the table's width with
/// label-like cells. Title lines ("XX驿站客户列表 导出时间…") fill one cell, blank lines none, and the group
/// row of a two-row header leaves gaps, so all of them are passed over. Returns a 0-based index.
pub fn header_index(rows: &[Vec<String>]) -> usize {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    let widths: Vec<usize> = rows.iter().map(filled).filter(|&w| w > 0).collect();
    let (width, _) = modal(&widths);
    if width == 0 {
        return 0;
    }
    // At least 60 % of the usual width: a header may leave a name or two empty.
    let need = (width * 6).div_ceil(10).clamp(1, width);
    let label_like = |c: &str| {
        let c = c.trim();
        !c.is_empty()
            && c.chars().count() <= 40
            && !c
                .chars()
                .all(|ch| ch.is_ascii_digit() || "+-.:/ ¥￥,".contains(ch))
    };
    rows.iter()
        .position(|r| {
            let f = filled(r);
            f >= need && r.iter().filter(|c| label_like(c)).count() * 10 >= f * 8
        })
        .or_else(|| rows.iter().position(|r| filled(r) >= need))
        .unwrap_or(0)
}

/// Header names the owner can tell apart: empty ones get their column number, repeats a counter.
pub fn distinct_names(raw: &[String], lang: crate::Lang) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    raw.iter()
        .enumerate()
        .map(|(i, name)| {
            let base = name.trim().replace(['\n', '\r'], " ");
            let base = if base.is_empty() {
                match lang {
                    crate::Lang::ZhCn => format!("列{}", i + 1),
                    crate::Lang::En => format!("Column {}", i + 1),
                }
            } else {
                base
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base} ({n})")
            }
        })
        .collect()
}
