//! Builders of valid values, written the ways people type them: what the corpus, the generated files and
//! the tests feed the detectors. One module per detector of `handover_core::detect`, named the same.
//!
//! The check digits here (Luhn, UPU S10) are computed independently of the detectors that verify them, so
//! a test built on these values also checks the detector's arithmetic.

/// Mobiles: the writings of an 11-digit number.
pub mod mobile {
    /// The ways people write a mobile number.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum MobileFormat {
        /// `13812345678`
        Plain,
        /// `138 1234 5678`
        Spaced,
        /// `138-1234-5678`
        Dashed,
        /// `138.1234.5678`
        Dotted,
        /// `138 12345678`
        Split38,
        /// `+8613812345678`
        Plus86,
        /// `+86 138 1234 5678`
        Plus86Spaced,
        /// `+86-138-1234-5678`
        Plus86Dashed,
        /// `008613812345678`
        Prefix0086,
        /// `86 13812345678`
        Prefix86Spaced,
        /// `(+86)13812345678`
        Paren86,
        /// `１３８１２３４５６７８`
        FullWidth,
        /// `＋８６ １３８ １２３４ ５６７８`
        FullWidthPlus86,
        /// `１３８－１２３４－５６７８`
        FullWidthDashed,
        /// `013812345678`
        Trunk0,
    }

    impl MobileFormat {
        pub const ALL: [MobileFormat; 15] = [
            MobileFormat::Plain,
            MobileFormat::Spaced,
            MobileFormat::Dashed,
            MobileFormat::Dotted,
            MobileFormat::Split38,
            MobileFormat::Plus86,
            MobileFormat::Plus86Spaced,
            MobileFormat::Plus86Dashed,
            MobileFormat::Prefix0086,
            MobileFormat::Prefix86Spaced,
            MobileFormat::Paren86,
            MobileFormat::FullWidth,
            MobileFormat::FullWidthPlus86,
            MobileFormat::FullWidthDashed,
            MobileFormat::Trunk0,
        ];
    }

    /// Writes an 11-digit number in the given format. Anything that is not 11 ASCII digits is returned as is.
    pub fn format(number: &str, f: MobileFormat) -> String {
        if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return number.to_string();
        }
        let (a, b, c) = (&number[..3], &number[3..7], &number[7..]);
        match f {
            MobileFormat::Plain => number.to_string(),
            MobileFormat::Spaced => format!("{a} {b} {c}"),
            MobileFormat::Dashed => format!("{a}-{b}-{c}"),
            MobileFormat::Dotted => format!("{a}.{b}.{c}"),
            MobileFormat::Split38 => format!("{a} {}", &number[3..]),
            MobileFormat::Plus86 => format!("+86{number}"),
            MobileFormat::Plus86Spaced => format!("+86 {a} {b} {c}"),
            MobileFormat::Plus86Dashed => format!("+86-{a}-{b}-{c}"),
            MobileFormat::Prefix0086 => format!("0086{number}"),
            MobileFormat::Prefix86Spaced => format!("86 {number}"),
            MobileFormat::Paren86 => format!("(+86){number}"),
            MobileFormat::FullWidth => full_width(number),
            MobileFormat::FullWidthPlus86 => full_width(&format!("+86 {a} {b} {c}")),
            MobileFormat::FullWidthDashed => full_width(&format!("{a}-{b}-{c}")),
            MobileFormat::Trunk0 => format!("0{number}"),
        }
    }

    /// Turns ASCII digits, `+` and `-` into their full-width forms and spaces into the ideographic space.
    pub fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                ' ' => '\u{3000}',
                _ => c,
            })
            .collect()
    }
}

/// Landlines: the writings of area code, local number and extension.
pub mod landline {
    use std::sync::OnceLock;

    use handover_core::detect::landline::is_known_area_code;
    pub use handover_core::detect::landline::Landline;

    /// The four-digit area codes in use, without the leading `0` (so `755` is 0755), ascending: the
    /// detector's own table, read back through [`is_known_area_code`].
    pub fn area_codes() -> &'static [u16] {
        static CODES: OnceLock<Vec<u16>> = OnceLock::new();
        CODES.get_or_init(|| {
            (300..1000)
                .filter(|c| is_known_area_code(format!("0{c}").as_bytes()))
                .collect()
        })
    }

    /// The ways a landline is written.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LandlineFormat {
        /// `0755-82345678`
        Dashed,
        /// `0755 82345678`
        Spaced,
        /// `075582345678`
        Tight,
        /// `(0755)82345678`
        Paren,
        /// `（０７５５）１２３４５６７８`
        FullWidthParen,
        /// `0755-1234-5678` (8-digit locals) or `0755-123-4567`
        Grouped,
        /// `+86-755-82345678`
        Plus86,
        /// `0755-82345678转123` (a made-up extension is added)
        WithExtension,
    }

    impl LandlineFormat {
        pub const ALL: [LandlineFormat; 8] = [
            LandlineFormat::Dashed,
            LandlineFormat::Spaced,
            LandlineFormat::Tight,
            LandlineFormat::Paren,
            LandlineFormat::FullWidthParen,
            LandlineFormat::Grouped,
            LandlineFormat::Plus86,
            LandlineFormat::WithExtension,
        ];
    }

    /// Writes a landline in the given format (the extension, if any, only in `WithExtension`, which uses
    /// the landline's own extension or `123`).
    pub fn format(l: &Landline, f: LandlineFormat) -> String {
        let (a, n) = (&l.area, &l.local);
        match f {
            LandlineFormat::Dashed => format!("{a}-{n}"),
            LandlineFormat::Spaced => format!("{a} {n}"),
            LandlineFormat::Tight => format!("{a}{n}"),
            LandlineFormat::Paren => format!("({a}){n}"),
            LandlineFormat::FullWidthParen => super::mobile::full_width(&format!("({a}){n}")),
            LandlineFormat::Grouped => {
                let split = n.len() - 4;
                format!("{a}-{}-{}", &n[..split], &n[split..])
            }
            LandlineFormat::Plus86 => format!("+86-{}-{n}", &a[1..]),
            LandlineFormat::WithExtension => {
                format!("{a}-{n}转{}", l.ext.as_deref().unwrap_or("123"))
            }
        }
    }
}

/// Resident ID numbers.
pub mod id_card {
    use chrono::{Datelike, NaiveDate};
    use handover_core::detect::id_card::check_digit;

    /// Builds a valid 18-digit number from its parts: region code, birth date, sequence (its last digit
    /// gives the sex) and the GB 11643 check digit.
    pub fn compose(region: &str, birth: NaiveDate, sequence: u16) -> String {
        let mut s = format!(
            "{region}{:04}{:02}{:02}{:03}",
            birth.year(),
            birth.month(),
            birth.day(),
            sequence % 1000
        );
        let c = check_digit(s.as_bytes()).unwrap_or(b'0');
        s.push(c as char);
        s
    }
}

/// Waybill numbers.
pub mod waybill {
    /// Builds a valid UPU S10 number: two service letters, eight digits, the check digit, the country.
    pub fn compose_s10(service: &str, serial: u32, country: &str) -> String {
        const W: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
        let digits = format!("{:08}", serial % 100_000_000);
        let sum: u32 = digits
            .bytes()
            .zip(W)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let c = match 11 - sum % 11 {
            10 => '0',
            11 => '5',
            v => char::from(b'0' + v as u8),
        };
        format!("{service}{digits}{c}{country}")
    }
}

/// Bank card numbers.
pub mod bank_card {
    /// The Luhn check digit that completes `payload` (ASCII digits).
    pub fn luhn_check_digit(payload: &[u8]) -> u8 {
        let mut sum = 0u32;
        for (i, &b) in payload.iter().rev().enumerate() {
            let mut v = u32::from(b.wrapping_sub(b'0') % 10);
            if i % 2 == 0 {
                v *= 2;
                if v > 9 {
                    v -= 9;
                }
            }
            sum += v;
        }
        b'0' + ((10 - sum % 10) % 10) as u8
    }

    /// Groups of four, `6222 0212 3456 7890 123`.
    pub fn format_grouped(number: &str) -> String {
        let mut out = String::with_capacity(number.len() + number.len() / 4);
        for (i, c) in number.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use handover_core::detect::{self as d};

    use super::*;

    #[test]
    fn area_codes_are_the_detectors_table() {
        let codes = landline::area_codes();
        assert_eq!(codes.len(), 317);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(codes.contains(&755) && !codes.contains(&300));
    }

    #[test]
    fn built_values_are_what_the_detectors_accept() {
        for f in mobile::MobileFormat::ALL {
            let s = mobile::format("13912345678", f);
            assert_eq!(
                d::mobile::normalize(&s).as_deref(),
                Some("13912345678"),
                "{f:?} {s}"
            );
        }
        assert_eq!(mobile::format("123", mobile::MobileFormat::Spaced), "123");

        let l = landline::Landline {
            area: "0755".into(),
            local: "82345678".into(),
            ext: None,
        };
        for f in landline::LandlineFormat::ALL {
            let s = landline::format(&l, f);
            let want = if f == landline::LandlineFormat::WithExtension {
                "0755-82345678-123"
            } else {
                "0755-82345678"
            };
            assert_eq!(
                d::landline::normalize(&s).as_deref(),
                Some(want),
                "{f:?} {s}"
            );
        }

        let birth = NaiveDate::from_ymd_opt(1990, 3, 7).unwrap();
        let id = id_card::compose("440305", birth, 123);
        assert!(d::id_card::is_valid(&id), "{id}");
        assert_eq!(d::id_card::parse(&id).unwrap().birth_date, birth);

        for serial in [0, 1, 12_345_678, 99_999_999] {
            let s10 = waybill::compose_s10("EA", serial, "CN");
            assert!(d::waybill::is_valid(&s10), "{s10}");
        }

        assert_eq!(bank_card::luhn_check_digit(b"411111111111111"), b'1');
        let mut card = b"622202123456789012".to_vec();
        card.push(bank_card::luhn_check_digit(&card));
        let card = String::from_utf8(card).unwrap();
        assert!(d::bank_card::luhn_valid(card.as_bytes()));
        assert_eq!(
            d::bank_card::normalize(&bank_card::format_grouped(&card)).as_deref(),
            Some(card.as_str())
        );
    }
}
