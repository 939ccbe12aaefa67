//! E-mail addresses.
//!
//! The practical subset of RFC 5321 that real customer lists contain: a local part of letters, digits and
//! `._%+-` (no leading, trailing or doubled dot), `@` (or the full-width `＠`), and a domain of at least two
//! labels whose last one (the TLD) is two or more letters. Internationalised addresses are rare in Chinese
//! small-business data and are not recognised.

use super::chars;

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;

#[inline]
fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

#[inline]
fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

fn valid_local(l: &[u8]) -> bool {
    !l.is_empty()
        && l.len() <= MAX_LOCAL
        && l.iter().all(|&b| is_local_byte(b))
        && l[0] != b'.'
        && l[l.len() - 1] != b'.'
        && !l.windows(2).any(|w| w == b"..")
}

fn valid_domain(d: &[u8]) -> bool {
    if d.is_empty() || d.len() > MAX_DOMAIN || !d.iter().all(|&b| is_domain_byte(b)) {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in d.split(|&b| b == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)
}

/// Whether the whole cell is one e-mail address (surrounding spaces and full-width forms allowed).
pub fn is_valid(s: &str) -> bool {
    normalize(s).is_some()
}

/// The address with full-width forms folded and in lower case (mail systems treat addresses
/// case-insensitively in practice, and customer lists need one form to compare).
pub fn normalize(s: &str) -> Option<String> {
    let s = chars::trim(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = chars::fold(c);
        if !c.is_ascii() || c == ' ' {
            return None;
        }
        out.push(c.to_ascii_lowercase());
    }
    let at = out.find('@')?;
    let (local, domain) = (&out[..at], &out[at + 1..]);
    (valid_local(local.as_bytes()) && valid_domain(domain.as_bytes())).then_some(out)
}

/// Finds the address around the `@` at byte `at` of `text` (`at_len` is 1 for `@`, 3 for `＠`), not
/// reaching back before `floor`. Returns the byte span. Work is bounded by the length limits, so calling
/// this for every `@` keeps a scan linear.
pub(crate) fn find_around(
    text: &str,
    at: usize,
    at_len: usize,
    floor: usize,
) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut start = at;
    while start > floor && at - start < MAX_LOCAL && is_local_byte(b[start - 1]) {
        start -= 1;
    }
    // A local part cannot start with a dot (`…。.abc@…` → `abc@…`).
    while start < at && b[start] == b'.' {
        start += 1;
    }
    let dstart = at + at_len;
    let mut end = dstart;
    while end < b.len() && end - dstart < MAX_DOMAIN && is_domain_byte(b[end]) {
        end += 1;
    }
    // A sentence may end right after the address: `…@qq.com.` or `…@qq.com-`.
    while end > dstart && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    if start == at || end == dstart {
        return None;
    }
    // The local part must not continue left into letters we stopped at because of the length limit.
    if start > floor && at - start == MAX_LOCAL && is_local_byte(b[start - 1]) {
        return None;
    }
    (valid_local(&b[start..at]) && valid_domain(&b[dstart..end])).then_some((start, end))
}

/// The normalised form of a span found in text (folds a full-width `＠`).
pub(crate) fn normalize_span(span: &str) -> String {
    if span.is_ascii() {
        return span.to_ascii_lowercase();
    }
    span.replace('＠', "@").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_addresses() {
        for s in [
            "zhang.san@qq.com",
            "12345678@qq.com",
            "li-si_88@163.com",
            "a+b@mail.example.com.cn",
            " Wang@Example.COM ",
            "ｗａｎｇ＠ｑｑ．ｃｏｍ",
        ] {
            assert!(is_valid(s), "{s:?}");
        }
        assert_eq!(
            normalize(" Wang@Example.COM ").as_deref(),
            Some("wang@example.com")
        );
        assert_eq!(
            normalize("ｗａｎｇ＠ｑｑ．ｃｏｍ").as_deref(),
            Some("wang@qq.com")
        );
    }

    #[test]
    fn invalid_addresses() {
        for s in [
            "",
            "@qq.com",
            "zhang@",
            "zhang@qq",
            "zhang@qq.c",
            "zhang@qq.c0m",
            "zhang@@qq.com",
            ".zhang@qq.com",
            "zhang.@qq.com",
            "zh..ang@qq.com",
            "zhang@-qq.com",
            "zhang@qq..com",
            "zhang san@qq.com",
            "张三@qq.com",
            "zhang@qq.com 张三",
        ] {
            assert!(!is_valid(s), "{s:?}");
        }
        assert!(!is_valid(&format!("{}@qq.com", "a".repeat(65))));
    }

    #[test]
    fn finds_addresses_in_text() {
        let t = "邮箱：zhang.san@qq.com。谢谢";
        let at = t.find('@').unwrap();
        let (s, e) = find_around(t, at, 1, 0).unwrap();
        assert_eq!(&t[s..e], "zhang.san@qq.com");
        let t = "发到abc＠163.com就行";
        let at = t.find('＠').unwrap();
        let (s, e) = find_around(t, at, 3, 0).unwrap();
        assert_eq!(normalize_span(&t[s..e]), "abc@163.com");
        let t = "价格@5元";
        assert!(find_around(t, t.find('@').unwrap(), 1, 0).is_none());
        let t = "x@y";
        assert!(find_around(t, 1, 1, 0).is_none());
        let t = "user@example.com.";
        let (s, e) = find_around(t, 4, 1, 0).unwrap();
        assert_eq!(&t[s..e], "user@example.com");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            let _ = normalize(&s);
            for (i, c) in s.char_indices() {
                if c == '@' || c == '＠' {
                    let _ = find_around(&s, i, c.len_utf8(), 0);
                }
            }
        }

        #[test]
        fn generated_addresses_round_trip(
            local in "[a-z0-9]{1,10}([._+-][a-z0-9]{1,8}){0,2}",
            domain in "[a-z0-9]{1,10}(-[a-z0-9]{1,5})?",
            tld in "[a-z]{2,6}",
        ) {
            let e = format!("{local}@{domain}.{tld}");
            prop_assert_eq!(normalize(&e), Some(e.clone()));
            let t = format!("请发邮件到{e}，谢谢");
            let at = t.find('@').unwrap();
            let (s, end) = find_around(&t, at, 1, 0).unwrap();
            prop_assert_eq!(&t[s..end], e.as_str());
        }
    }
}
