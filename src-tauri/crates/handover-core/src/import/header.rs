//! Which row is the header, and names for its columns the owner can tell apart.
//!
//! Exports from small-business software often put a title ("XX驿站客户列表 导出时间2024-03-05"), an export
//! date, notes, blank lines, or a row of group names ("客户信息,,,联系方式,,") above the real header.

use std::collections::HashMap;

use crate::i18n::Lang;

use super::sniff::modal;

/// Longest text (in characters) taken for a column name.
const MAX_LABEL_CHARS: usize = 30;
/// A header row must fill at least this share (in tenths) of the width of the rows below it.
const MIN_FILL_TENTHS: usize = 6;
/// At least this share (in tenths) of a header's filled cells must look like labels.
const MIN_LABEL_TENTHS: usize = 8;

fn filled(row: &[String]) -> usize {
    row.iter().filter(|c| !c.trim().is_empty()).count()
}

/// Whether a cell reads like a column name: short text, not a number, amount, date or phone number.
pub(crate) fn label_like(cell: &str) -> bool {
    let c = cell.trim();
    if c.is_empty() || c.contains('\n') || c.chars().count() > MAX_LABEL_CHARS {
        return false;
    }
    // Numbers, phones, amounts and dates written with digits and punctuation only are values.
    if c.chars().all(|ch| {
        ch.is_ascii_digit() || ch.is_ascii_punctuation() || ch.is_whitespace() || "¥￥".contains(ch)
    }) {
        return false;
    }
    // So are codes that are mostly digits ("VIP00000001") and dates in words ("2024年3月5日"); a name
    // with a number in it ("手机2", "2024年消费") is still a label.
    let chars = c.chars().count();
    let digits = c.chars().filter(char::is_ascii_digit).count();
    digits * 10 < chars * 7 && super::normalize::date(c).is_err()
}

fn label_share_ok(row: &[String]) -> bool {
    let f = filled(row);
    f > 0 && row.iter().filter(|c| label_like(c)).count() * 10 >= f * MIN_LABEL_TENTHS
}

/// Picks the header among the first rows (blank rows already left out) and returns its index.
///
/// A row is the header when it is the first that fills most of the usual width of the rows below it
/// (so titles and notes, which fill one cell, and a group row, which leaves gaps, are passed over) and
/// whose cells read like labels (so data rows are not taken). Of the two rows of a two-row header the lower,
/// complete one is therefore chosen; the group names are not prefixed to the column names, since the
/// column names alone are what the owner and the field guesser recognise ("手机", not "联系方式 手机").
///
/// A one-column table has no width to tell a title from a header; there, the last label row directly above
/// the first value row is the header. When nothing reads like a header, the first row that fills the width
/// is taken (the owner can choose another).
pub fn detect_header(rows: &[Vec<String>]) -> usize {
    if rows.is_empty() {
        return 0;
    }
    let fills: Vec<usize> = rows.iter().map(|r| filled(r)).collect();
    let width_below = |i: usize| -> usize {
        let below = &fills[i + 1..];
        if below.is_empty() {
            fills[i]
        } else {
            modal(below).0
        }
    };
    for i in 0..rows.len() {
        let w = width_below(i);
        if w <= 1 {
            // One column: the last of a run of labels, just above a value.
            if label_share_ok(&rows[i]) && rows.get(i + 1).is_none_or(|next| !label_share_ok(next))
            {
                return i;
            }
            continue;
        }
        let need = (w * MIN_FILL_TENTHS).div_ceil(10).max(2);
        if fills[i] >= need && label_share_ok(&rows[i]) {
            return i;
        }
    }
    let w = modal(&fills).0;
    let need = (w * MIN_FILL_TENTHS).div_ceil(10).max(1);
    fills.iter().position(|&f| f >= need).unwrap_or(0)
}

/// Whether a sample looks like running text rather than a table: one column, and no row in it that
/// reads like a header.
pub(crate) fn looks_like_prose(rows: &[Vec<String>]) -> bool {
    let one_column = rows.iter().all(|r| filled(r) <= 1);
    one_column && !rows.iter().any(|r| label_share_ok(r))
}

/// The name given to a column without one: its 1-based number (`列3` / `Column 3`, see `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnnamedColumn {
    pub number: usize,
}

/// Column names the owner can tell apart: an empty name becomes its 1-based column number (`列3` /
/// `Column 3`), a repeated one gets a counter (`电话`, `电话 (2)`); line breaks inside a name become spaces.
pub fn header_names(raw: &[String], lang: Lang) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let base: Vec<String> = raw
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let t = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.is_empty() {
                crate::i18n::render(&UnnamedColumn { number: i + 1 }, lang)
            } else {
                t
            }
        })
        .collect();
    // A generated "电话 (2)" must not collide with a column the owner really named "电话 (2)".
    let taken: std::collections::HashSet<&String> = base.iter().collect();
    let mut names = Vec::with_capacity(base.len());
    for name in &base {
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            names.push(name.clone());
            continue;
        }
        let mut k = *n;
        let mut candidate = format!("{name} ({k})");
        while taken.contains(&candidate) || names.contains(&candidate) {
            k += 1;
            candidate = format!("{name} ({k})");
        }
        names.push(candidate);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn title_notes_and_group_rows_are_passed_over() {
        assert_eq!(
            detect_header(&rows(&[
                "XX驿站客户列表 导出时间2024-03-05",
                "导出人：张三",
                "姓名,手机,地址",
                "张三,13812345678,北京",
                "李四,13912345678,上海",
            ])),
            2
        );
        assert_eq!(
            detect_header(&rows(&[
                "客户信息,,,联系方式,,",
                "姓名,性别,生日,手机,固话,地址",
                "张三,男,1990-01-01,13812345678,010-12345678,北京",
                "李四,女,1991-02-02,13912345678,,上海",
            ])),
            1
        );
        // Data rows made only of text do not confuse a header on the first line.
        assert_eq!(
            detect_header(&rows(&["姓名,性别,地址", "张三,男,北京", "李四,女,上海"])),
            0
        );
        // A header with one empty name still fills most of the width.
        assert_eq!(
            detect_header(&rows(&[
                "客户名单",
                "姓名,,手机,备注",
                "张三,x,13812345678,好"
            ])),
            1
        );
    }

    #[test]
    fn labels_and_values() {
        for label in [
            "姓名",
            "手机2",
            "2024年消费",
            "E-mail",
            "会员卡号",
            "备注（选填）",
        ] {
            assert!(label_like(label), "{label}");
        }
        for value in [
            "13812345678",
            "138 1234 5678",
            "2024-03-05",
            "2024年3月5日",
            "¥12.50",
            "-12.00",
            "VIP00000001",
            "",
            "这是一段很长很长的备注文字，超过了三十个字符，所以不会是表头的列名称",
        ] {
            assert!(!label_like(value), "{value}");
        }
    }

    #[test]
    fn one_column_tables() {
        assert_eq!(
            detect_header(&rows(&["会员手机号", "手机", "13812345678", "13912345678"])),
            1
        );
        assert_eq!(detect_header(&rows(&["手机", "13812345678"])), 0);
        assert!(looks_like_prose(&rows(&[
            "尊敬的各位顾客：本店将于下月起停止营业，感谢多年来的支持与厚爱，会员余额可到店退还。",
            "如有疑问，请拨打店内电话咨询，我们会尽快为您处理，祝您生活愉快，万事如意，阖家幸福。"
        ])));
        assert!(!looks_like_prose(&rows(&["手机", "13812345678"])));
    }

    #[test]
    fn names_are_distinct_and_never_empty() {
        let raw: Vec<String> = [
            "电话",
            "姓名",
            "电话",
            "",
            " 电话 ",
            "电话 (2)",
            "联系\n地址",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            header_names(&raw, Lang::ZhCn),
            [
                "电话",
                "姓名",
                "电话 (3)",
                "列4",
                "电话 (4)",
                "电话 (2)",
                "联系 地址"
            ]
        );
        assert_eq!(header_names(&raw[3..4], Lang::En), ["Column 1"]);
    }
}
