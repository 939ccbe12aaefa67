//! Amounts as people read them, for both languages' sentences.

/// An amount of yuan as the core keeps it ("1234567.8", exact decimal) with thousands grouped and two
/// decimals: "1,234,567.80".
pub(super) fn grouped_yuan(amount: &str) -> String {
    let (sign, digits) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let cents: String = fraction.chars().chain("00".chars()).take(2).collect();
    format!("{sign}{grouped}.{cents}")
}

#[cfg(test)]
mod tests {
    use super::grouped_yuan;

    #[test]
    fn thousands_are_grouped_and_cents_kept() {
        assert_eq!(grouped_yuan("1234.5"), "1,234.50");
        assert_eq!(grouped_yuan("620576.67"), "620,576.67");
        assert_eq!(grouped_yuan("1234567"), "1,234,567.00");
        assert_eq!(grouped_yuan("12"), "12.00");
        assert_eq!(grouped_yuan("0.00"), "0.00");
        assert_eq!(grouped_yuan("-1000.05"), "-1,000.05");
    }
}
