//! The package passphrase: generated from the operating system's random source, easy to read out over the
//! phone — eight groups of four digits (32 digits, 106 bits) — and shown once; or chosen by the owner
//! (`HANDOVER_PACKAGE_PASSPHRASE`). Never stored in the case.

use handover_core::{Error, Result};

/// Groups of digits in a generated passphrase, and digits per group.
pub const GROUPS: usize = 8;
pub const GROUP_DIGITS: usize = 4;

/// A new passphrase, e.g. `4821-0937-5512-0048-7730-2196-6604-3185`.
pub fn generate() -> Result<String> {
    let mut digits = String::with_capacity(GROUPS * GROUP_DIGITS);
    let mut buf = [0u8; 64];
    while digits.len() < GROUPS * GROUP_DIGITS {
        getrandom::fill(&mut buf)
            .map_err(|e| Error::Internal(format!("the system's random source: {e}")))?;
        // Rejection sampling: 250 = 25 × 10, so every digit is equally likely.
        for b in buf {
            if b < 250 && digits.len() < GROUPS * GROUP_DIGITS {
                digits.push(char::from(b'0' + b % 10));
            }
        }
    }
    Ok(group(&digits))
}

fn group(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(GROUP_DIGITS)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The passphrase as age gets it. A passphrase of digits is read back however it was typed — with spaces,
/// dashes or none (`4821 0937 …`, `48210937…`) — so the groups are only a help for reading; any other
/// passphrase is used as given, without surrounding whitespace.
pub fn normalize(typed: &str) -> String {
    let typed = typed.trim();
    let only_digits = !typed.is_empty()
        && typed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace());
    if only_digits {
        let digits: String = typed.chars().filter(|c| c.is_ascii_digit()).collect();
        group(&digits)
    } else {
        typed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passphrases_are_grouped_digits_and_differ() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(groups.len(), GROUPS);
        assert!(groups
            .iter()
            .all(|g| g.len() == GROUP_DIGITS && g.chars().all(|c| c.is_ascii_digit())));
        // 32 decimal digits carry more than 100 bits.
        assert!((GROUPS * GROUP_DIGITS) as f64 * 10f64.log2() > 100.0);
    }

    #[test]
    fn typed_digits_normalise_to_the_grouped_form() {
        let p = "4821-0937-5512-0048-7730-2196-6604-3185";
        assert_eq!(normalize(p), p);
        assert_eq!(normalize(" 4821 0937 5512 0048 7730 2196 6604 3185 "), p);
        assert_eq!(normalize("48210937551200487730219666043185"), p);
        assert_eq!(normalize("  my own phrase "), "my own phrase");
    }

    #[test]
    fn digits_are_spread_evenly() {
        let mut counts = [0u32; 10];
        for _ in 0..200 {
            for c in generate().unwrap().chars().filter(|c| c.is_ascii_digit()) {
                counts[(c as u8 - b'0') as usize] += 1;
            }
        }
        // 6,400 digits: each about 640; a biased generator (e.g. modulo of 256) stays within this too, but a
        // broken one (always the same digit) does not.
        assert!(
            counts.iter().all(|&n| (450..=830).contains(&n)),
            "{counts:?}"
        );
    }
}
