//! SMS length in mainland China: 【signature】 + body, counted in UTF-16 code units (an emoji counts 2), the
//! signature included. Up to 70 units is one message; longer texts are sent as ceil(n / 67) parts.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::NoticeError;

/// Units of a single-part message.
pub const SINGLE: u32 = 70;
/// Units of each part of a multi-part message.
pub const PART: u32 = 67;

/// The length of a text as the platforms count it.
pub fn units(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// How many parts a text of this many units is sent as.
pub fn parts_for(units: u32) -> u32 {
    if units <= SINGLE {
        1
    } else {
        units.div_ceil(PART)
    }
}

/// The most units `parts` parts hold.
pub fn capacity(parts: u32) -> u32 {
    if parts <= 1 {
        SINGLE
    } else {
        parts * PART
    }
}

/// One SMS: its full text (signature first), its length and the parts it is sent as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SmsText {
    pub text: String,
    pub units: u32,
    pub parts: u32,
    /// The parts the notice's template declares: `parts <= declared_parts` always holds for a text
    /// [`compose`] returned.
    pub declared_parts: u32,
}

/// A signature as the platforms accept it: 2–12 characters, no brackets, trimmed.
pub fn check_signature(signature: &str) -> Result<String, NoticeError> {
    let s = signature.trim();
    let n = s.chars().count();
    if !(2..=12).contains(&n) || s.contains(['【', '】', '[', ']']) {
        return Err(NoticeError::BadSignature);
    }
    Ok(s.to_string())
}

/// 【signature】 + body, refused when it does not fit the declared parts.
pub fn compose(
    notice: &str,
    signature: &str,
    body: &str,
    declared_parts: u32,
) -> Result<SmsText, NoticeError> {
    let text = format!("【{signature}】{body}");
    let units = units(&text);
    let parts = parts_for(units);
    if units > capacity(declared_parts) {
        return Err(NoticeError::SmsTooLong {
            notice: notice.to_string(),
            units,
            declared_parts,
        });
    }
    Ok(SmsText {
        text,
        units,
        parts,
        declared_parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_follows_the_platforms() {
        assert_eq!(units("【王记】你好"), 6);
        assert_eq!(units("😀"), 2);
        assert_eq!(units("𠀀"), 2); // a rare character outside the BMP, as in some names
        assert_eq!(parts_for(70), 1);
        assert_eq!(parts_for(71), 2);
        assert_eq!(parts_for(134), 2);
        assert_eq!(parts_for(135), 3);
        assert_eq!(capacity(1), 70);
        assert_eq!(capacity(2), 134);
    }

    #[test]
    fn compose_counts_the_signature_and_refuses_what_does_not_fit() {
        let body = "好".repeat(66);
        let s = compose("x", "王记便利店", &body, 1).unwrap_err();
        assert_eq!(
            s,
            NoticeError::SmsTooLong {
                notice: "x".into(),
                units: 73,
                declared_parts: 1
            }
        );
        let s = compose("x", "王记便利店", &body, 2).unwrap();
        assert_eq!((s.units, s.parts), (73, 2));
        assert!(s.text.starts_with("【王记便利店】"));
        let s = compose("x", "王记", &"好".repeat(66), 1).unwrap();
        assert_eq!((s.units, s.parts), (70, 1));
    }

    #[test]
    fn signatures() {
        assert_eq!(check_signature(" 王记便利店 ").unwrap(), "王记便利店");
        assert!(check_signature("王").is_err());
        assert!(check_signature("【王记】").is_err());
        assert!(check_signature(&"王".repeat(13)).is_err());
    }
}
