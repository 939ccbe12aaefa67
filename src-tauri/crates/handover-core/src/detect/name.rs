//! Chinese personal names: a surname from the built-in list (487 single-character surnames — the
//! 百家姓 and the common modern ones such as 付, 肖, 覃 — and 62 compound ones such as 欧阳, 司马, 诸葛,
//! 上官) followed by a given name of one or two characters; minority names written with a middle dot
//! (`买买提·艾力`); and forms of address (`张先生`, `王女士`).
//!
//! A value-level test cannot tell 高兴 (glad) from 高兴 (Mr Gao Xing), so a name is mainly recognised by its
//! column or its label (姓名：, 收件人：); [`is_chinese_name`] is the weak per-value check used to count
//! how many of a column's values look like names.

use super::chars;

/// Single-character surnames, sorted by code point for binary search.
const SINGLE_SURNAMES: [char; 487] = [
    '丁', '万', '东', '严', '丰', '乌', '乐', '乔', '乜', '习', '于', '云', '亓', '井', '亢', '仇',
    '仉', '从', '付', '仝', '代', '仰', '仲', '任', '伊', '伍', '伏', '伯', '何', '佘', '余', '佟',
    '佴', '侯', '俞', '信', '候', '倪', '傅', '储', '元', '充', '党', '全', '公', '兰', '关', '其',
    '养', '冀', '冉', '农', '冯', '况', '冷', '冼', '凌', '凤', '刁', '刘', '初', '利', '别', '劳',
    '勇', '勾', '包', '匡', '区', '华', '卓', '单', '卜', '卞', '占', '卢', '卫', '印', '危', '却',
    '厉', '厍', '双', '古', '史', '叶', '司', '吉', '后', '向', '吕', '吴', '周', '和', '咸', '哈',
    '唐', '商', '喻', '国', '堵', '墨', '夏', '夔', '奚', '姚', '姜', '姬', '娄', '孔', '孙', '孟',
    '季', '宁', '安', '宋', '宓', '宗', '宣', '宦', '宫', '宰', '家', '容', '宿', '寇', '富', '寿',
    '封', '尉', '尚', '尤', '尹', '居', '屈', '屠', '山', '岑', '岳', '崔', '嵇', '巢', '左', '巩',
    '巫', '巴', '帅', '师', '帖', '席', '常', '干', '平', '年', '幸', '广', '庄', '应', '庞', '康',
    '庾', '廉', '廖', '弓', '弘', '张', '强', '彭', '徐', '怀', '惠', '慎', '慕', '戈', '戎', '成',
    '战', '戚', '戴', '房', '扈', '扶', '揭', '支', '敖', '文', '方', '於', '施', '时', '旷', '昌',
    '明', '易', '昝', '晁', '晋', '晏', '景', '暨', '暴', '曲', '曹', '曾', '有', '朱', '朴', '权',
    '李', '杜', '束', '来', '杨', '杭', '松', '林', '柏', '查', '柯', '柳', '柴', '栗', '栾', '桂',
    '桑', '桓', '梁', '梅', '植', '楚', '樊', '檀', '欧', '步', '武', '殳', '段', '殷', '毋', '母',
    '毕', '毛', '水', '汝', '江', '池', '汤', '汪', '汲', '沃', '沈', '沙', '法', '洪', '浦', '涂',
    '温', '游', '湛', '滑', '滕', '满', '潘', '濮', '焦', '熊', '燕', '爱', '牛', '牟', '牧', '狄',
    '王', '班', '琴', '璩', '甄', '甘', '田', '由', '申', '白', '皮', '益', '盖', '盛', '相', '眭',
    '瞿', '矫', '石', '祁', '祖', '祝', '禄', '福', '禚', '禹', '秋', '秦', '程', '穆', '空', '窦',
    '章', '童', '竺', '符', '笪', '简', '管', '籍', '米', '粘', '粟', '糜', '索', '红', '纪', '练',
    '终', '经', '续', '缑', '缪', '罗', '羊', '羿', '翁', '翟', '耿', '聂', '肇', '肖', '胡', '胥',
    '能', '臧', '舒', '艾', '芮', '花', '苍', '苏', '苗', '苟', '范', '茅', '茹', '荀', '荆', '荣',
    '莘', '莫', '萧', '葛', '董', '蒋', '蒙', '蒯', '蒲', '蒿', '蓝', '蓟', '蓬', '蔚', '蔡', '蔺',
    '薄', '薛', '虞', '融', '衡', '袁', '裘', '裴', '褚', '覃', '解', '言', '訾', '詹', '计', '许',
    '诸', '谈', '谌', '谢', '谭', '谯', '谷', '贝', '贡', '贲', '费', '贺', '贾', '赏', '赖', '赵',
    '越', '路', '车', '辛', '边', '连', '迟', '逄', '通', '逯', '邓', '邢', '那', '邬', '邰', '邱',
    '邴', '邵', '邸', '邹', '郁', '郄', '郈', '郎', '郏', '郑', '郗', '郜', '郝', '郦', '郭', '都',
    '鄂', '鄢', '酆', '金', '钟', '钦', '钭', '钮', '钱', '银', '门', '闫', '闵', '闻', '阎', '阙',
    '阚', '阮', '阳', '阴', '陆', '陈', '降', '陶', '隆', '隋', '隗', '雍', '雒', '雷', '霍', '靳',
    '鞠', '韦', '韩', '韶', '项', '须', '顾', '颜', '饶', '马', '骆', '高', '魏', '鱼', '鲁', '鲍',
    '麦', '麻', '黄', '黎', '齐', '龙', '龚',
];

/// Compound surnames (复姓).
pub const COMPOUND_SURNAMES: [&str; 62] = [
    "欧阳", "司马", "上官", "诸葛", "夏侯", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
    "宇文", "司徒", "司空", "轩辕", "独孤", "端木", "南宫", "西门", "万俟", "闻人", "赫连", "澹台",
    "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙", "钟离", "鲜于", "闾丘", "亓官",
    "司寇", "子车", "颛孙", "巫马", "公西", "漆雕", "乐正", "壤驷", "公良", "拓跋", "夹谷", "宰父",
    "谷梁", "段干", "百里", "东郭", "南门", "呼延", "归海", "羊舌", "微生", "梁丘", "左丘", "东门",
    "第五", "公羊",
];

/// First characters of the compound surnames, to skip the list for most names.
static COMPOUND_FIRST: chars::HanSet = chars::HanSet::new("万上东乐亓令仲公单南司呼壤夏太夹子宇宗宰尉左巫归微慕拓梁欧段淳漆澹濮独申百皇端第羊西诸谷赫轩钟长闻闾颛鲜");

/// Forms of address that follow a surname: `张先生`, `李老师`.
const HONORIFICS: [&str; 12] = [
    "先生", "女士", "小姐", "太太", "老师", "师傅", "阿姨", "大爷", "大妈", "老板", "经理", "同学",
];

/// Characters that do not occur in given names but do occur in words that start with a surname character
/// (的, 了, 是 … and address markers).
static NOT_IN_GIVEN: chars::HanSet = chars::HanSet::new(
    "的了是在有和与及或不没很也都就还又吗呢吧啊哦嗯么这那哪谁个们号路街市区省县镇村室栋楼元",
);

/// Whether `c` is a single-character surname.
pub fn is_single_surname(c: char) -> bool {
    SINGLE_SURNAMES.binary_search(&c).is_ok()
}

/// The parts of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts<'a> {
    /// The surname as written (one or two characters; for dotted minority names the first part).
    pub surname: &'a str,
    /// The given name (may be empty for `张先生`).
    pub given: &'a str,
    /// A form of address after the surname, e.g. `先生`.
    pub honorific: Option<&'a str>,
    /// A minority or transliterated name written with a middle dot.
    pub dotted: bool,
}

/// The surname at the start of `s`: a compound surname first (欧阳娜娜 → 欧阳), else a known single one.
pub fn surname_of(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if COMPOUND_FIRST.contains(first as u32) {
        if let Some(c) = COMPOUND_SURNAMES.iter().find(|c| s.starts_with(**c)) {
            return Some(&s[..c.len()]);
        }
    }
    is_single_surname(first).then(|| &s[..first.len_utf8()])
}

/// Splits a whole cell into name parts, or `None` when it does not look like a Chinese name. Spaces
/// inside (`张 三`) are not accepted here; see [`normalize`].
pub fn parse(s: &str) -> Option<NameParts<'_>> {
    let s = chars::trim(s);
    if s.is_empty() {
        return None;
    }
    // Dotted minority names: Han parts separated by a middle dot.
    if s.contains(['·', '•', '・']) {
        let first = s.split(['·', '•', '・']).next()?;
        let mut total = 0;
        for p in s.split(['·', '•', '・']) {
            let n = p.chars().count();
            if n == 0 || !p.chars().all(chars::is_han) {
                return None;
            }
            total += n;
        }
        let sep_len = s[first.len()..].chars().next().map_or(0, char::len_utf8);
        return (2..=16).contains(&total).then_some(NameParts {
            surname: first,
            given: &s[first.len() + sep_len..],
            honorific: None,
            dotted: true,
        });
    }
    if !s.chars().all(chars::is_han) {
        return None;
    }
    let surname = surname_of(s)?;
    let rest = &s[surname.len()..];
    if let Some(h) = HONORIFICS.iter().find(|h| rest == **h) {
        return Some(NameParts {
            surname,
            given: "",
            honorific: Some(h),
            dotted: false,
        });
    }
    let given_len = rest.chars().count();
    let ok_len = match surname.chars().count() {
        2 => (1..=2).contains(&given_len),
        // A single surname with one or two given characters; three only when the first of them is also
        // a surname (the double surnames some families use, 陈李丽华).
        _ => {
            (1..=2).contains(&given_len)
                || (given_len == 3 && rest.chars().next().is_some_and(is_single_surname))
        }
    };
    if !ok_len || rest.chars().any(|c| NOT_IN_GIVEN.contains(c as u32)) {
        return None;
    }
    Some(NameParts {
        surname,
        given: rest,
        honorific: None,
        dotted: false,
    })
}

/// Whether the whole cell looks like a Chinese personal name (weak; see the module docs).
pub fn is_chinese_name(s: &str) -> bool {
    let t = chars::trim(s);
    // Most names have no space inside: read as they are, without the copy `normalize` makes (an import
    // checks every cell of a name column).
    if !t.chars().any(chars::is_space) {
        return parse(t).is_some();
    }
    normalize(t).is_some()
}

/// The name with surrounding and inner spaces removed (`张 三` → `张三`), when it looks like a name.
pub fn normalize(s: &str) -> Option<String> {
    let joined: String = chars::trim(s)
        .chars()
        .filter(|c| !chars::is_space(*c))
        .collect();
    parse(&joined).is_some().then_some(joined)
}

/// A name in text after a label (`收件人：张三`): the longest 2–4 character Han run from byte `from` that
/// parses as a name, stopping before a form of address or a non-Han character. Returns the byte span.
pub(crate) fn after_label(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let mut start = from;
    for c in rest.chars() {
        if matches!(chars::fold(c), ':' | ' ' | '\t') || chars::is_space(c) {
            start += c.len_utf8();
        } else {
            break;
        }
        if start - from > 8 {
            return None;
        }
    }
    // Candidate ends after 2, 3 and 4 Han characters; prefer the longest that parses and is not followed
    // by more Han text that would make it part of a word, except when what follows is a known word that
    // usually comes after a name (电话, 手机, 先生 …).
    let mut ends = [0usize; 4];
    let mut n = 0;
    let mut pos = start;
    for c in text[start..].chars() {
        if !chars::is_han(c) || n == 4 {
            break;
        }
        pos += c.len_utf8();
        ends[n] = pos;
        n += 1;
    }
    const FOLLOWERS: [&str; 11] = [
        "电话", "手机", "先生", "女士", "小姐", "地址", "联系", "身份", "微信", "备注", "取件",
    ];
    /// Single characters that commonly follow a name in a note: 张三来取, 李四已付.
    const NEXT_CHARS: &str = "来去说要已在的了和取寄送住是于及与已未把被给让";
    let name_at = |k: usize| {
        let cand = &text[start..ends[k - 1]];
        parse(cand).is_some_and(|p| p.honorific.is_none())
    };
    // First the longest candidate that ends the Han run or is followed by a known word…
    for k in (2..=n).rev() {
        let tail = &text[ends[k - 1]..];
        let strong = !tail.chars().next().is_some_and(chars::is_han)
            || FOLLOWERS.iter().any(|f| tail.starts_with(f));
        if strong && name_at(k) {
            return Some((start, ends[k - 1]));
        }
    }
    // …then the shortest one followed by a typical next character.
    for k in 2..=n {
        let tail = &text[ends[k - 1]..];
        if tail.chars().next().is_some_and(|c| NEXT_CHARS.contains(c)) && name_at(k) {
            return Some((start, ends[k - 1]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn surnames() {
        assert!(
            SINGLE_SURNAMES.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(SINGLE_SURNAMES.len() >= 300);
        for c in ['王', '李', '张', '刘', '陈', '付', '肖', '覃', '闫'] {
            assert!(is_single_surname(c), "{c}");
        }
        assert!(!is_single_surname('的'));
        assert_eq!(surname_of("欧阳娜娜"), Some("欧阳"));
        assert_eq!(surname_of("诸葛亮"), Some("诸葛"));
        assert_eq!(surname_of("张三"), Some("张"));
        assert_eq!(surname_of("的确"), None);
    }

    #[test]
    fn names() {
        for s in [
            "张三",
            "王小明",
            "欧阳娜娜",
            "司马光",
            "陈李丽华",
            " 李 四 ",
            "买买提·艾力",
            "张先生",
        ] {
            assert!(is_chinese_name(s), "{s:?}");
        }
        for s in [
            "",
            "张",
            "张三丰丰丰",
            "Zhang San",
            "张3",
            "的确",
            "建设路",
            "张号",
            "王某某某某",
            "·张",
        ] {
            assert!(!is_chinese_name(s), "{s:?}");
        }
        let p = parse("王女士").unwrap();
        assert_eq!((p.surname, p.given, p.honorific), ("王", "", Some("女士")));
        let p = parse("欧阳娜娜").unwrap();
        assert_eq!((p.surname, p.given), ("欧阳", "娜娜"));
    }

    #[test]
    fn names_after_labels() {
        let t = "收件人：张三，电话…";
        let from = t.find('：').unwrap();
        let (s, e) = after_label(t, from + '：'.len_utf8()).unwrap();
        assert_eq!(&t[s..e], "张三");
        let t = "联系人 王小明电话13812345678";
        let (s, e) = after_label(t, "联系人".len()).unwrap();
        assert_eq!(&t[s..e], "王小明");
        let t = "姓名:欧阳娜娜";
        let (s, e) = after_label(t, "姓名".len()).unwrap();
        assert_eq!(&t[s..e], "欧阳娜娜");
        assert!(after_label("姓名：无", "姓名".len()).is_none());
        let t = "收件人张三来取";
        let (s, e) = after_label(t, "收件人".len()).unwrap();
        assert_eq!(&t[s..e], "张三");
        let t = "收件人王小明来取";
        let (s, e) = after_label(t, "收件人".len()).unwrap();
        assert_eq!(&t[s..e], "王小明");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,12}", from in 0usize..20) {
            let _ = is_chinese_name(&s);
            let _ = surname_of(&s);
            let _ = after_label(&s, from);
        }
    }
}
