//! Postal and delivery addresses (地址).
//!
//! A Chinese address is a chain of components, each a name followed by a marker that says its level:
//! province (省, 自治区), city (市, 州, 盟, 地区), district (区, 县, 旗), township (镇, 乡, 街道), road (路, 街,
//! 大道, 巷, 弄, 胡同), place (小区, 村, 花园, 大厦 …) and number (号, 栋, 幢, 单元, 楼, 层, 室 …):
//! `广东省|深圳市|南山区|科技园南路|12号|3栋|401室`.
//!
//! Markers also occur in ordinary words (市场, 区别, 号码, 路过, 省钱, 旗舰店), so a component only counts
//! when its marker is not followed by a character that makes such a word, its name has a plausible length
//! (two or more characters above the place level, so 马路 and 城区 are not components), and number-level
//! components end in a numeral (`12号`, `三单元`, not 账号). An address needs two or more components of
//! which one is below the district (`建设路12号`, `朝阳区建设路`), or three administrative ones
//! (`广东省深圳市南山区`) — a lone `朝阳区` is a place name, not someone's address.
//!
//! [`district_prefix`] and [`city_prefix`] cut an address down for masking: `广东省深圳市南山区科技园南路
//! 12号` → `广东省深圳市南山区` → `广东省深圳市`.

use super::chars;

/// The level of an address component, from coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Province,
    City,
    District,
    Town,
    Road,
    Place,
    Number,
}

impl Level {
    /// Minimum characters of the name in front of the marker.
    fn min_name(self) -> usize {
        match self {
            Level::Place | Level::Number => 1,
            _ => 2,
        }
    }

    /// Maximum characters of the name in front of the marker.
    fn max_name(self) -> usize {
        match self {
            Level::Province => 6,
            Level::City | Level::District | Level::Town => 8,
            Level::Road => 10,
            Level::Place => 12,
            Level::Number => 8,
        }
    }

    fn is_admin(self) -> bool {
        self <= Level::Town
    }
}

/// The marker that starts at the beginning of `s`, if any: its length in bytes and level. Markers that
/// are followed by a character turning them into an ordinary word (市场, 号码 …) are not markers.
pub(crate) fn marker_at(s: &str) -> Option<(usize, Level)> {
    use Level::*;
    let b = s.as_bytes();
    // Every marker starts with a three-byte character.
    if b.len() < 3 || !(0xE0..0xF0).contains(&b[0]) {
        return None;
    }
    let c = char::from_u32(chars::decode3(b[0], b[1], b[2]))?;
    // `w`: the marker word; `not_before`: characters that make it an ordinary word when they follow.
    let two = |w: &str| chars::starts_with_bytes(b, w.as_bytes());
    let (w, level, not_before): (&str, Level, &str) = match c {
        '特' if two("特别行政区") => ("特别行政区", Province, ""),
        '自' if two("自治区") => ("自治区", Province, ""),
        '自' if two("自治州") => ("自治州", City, ""),
        '自' if two("自治县") => ("自治县", District, ""),
        '自' if two("自治旗") => ("自治旗", District, ""),
        '开' if two("开发区") => ("开发区", District, ""),
        '高' if two("高新区") => ("高新区", District, ""),
        '新' if two("新区") => ("新区", District, ""),
        '新' if two("新村") => ("新村", Place, ""),
        '地' if two("地区") => ("地区", City, ""),
        '街' if two("街道") => ("街道", Town, ""),
        '街' => ("街", Road, "坊头"),
        '大' if two("大道") => ("大道", Road, "理"),
        '大' if two("大街") => ("大街", Road, ""),
        '大' if two("大厦") => ("大厦", Place, ""),
        '胡' if two("胡同") => ("胡同", Road, ""),
        '社' if two("社区") => ("社区", Place, ""),
        '小' if two("小区") => ("小区", Place, ""),
        '花' if two("花园") => ("花园", Place, ""),
        '公' if two("公寓") => ("公寓", Place, ""),
        '广' if two("广场") => ("广场", Place, "舞"),
        '家' if two("家园") => ("家园", Place, ""),
        '号' if two("号院") => ("号院", Number, ""),
        '号' if two("号楼") => ("号楼", Number, ""),
        '号' => ("号", Number, "码称召外"),
        '单' if two("单元") => ("单元", Number, "测"),
        '省' => ("省", Province, "钱得心事略力份"),
        '市' => ("市", City, "场民值长委政面级内外"),
        '盟' => ("盟", City, "友军"),
        '州' => ("州", City, ""),
        '区' => ("区", District, "别域分间块"),
        '县' => ("县", District, "城委长"),
        '旗' => ("旗", District, "帜舰下袍"),
        '镇' => ("镇", Town, "定静压"),
        '乡' => ("乡", Town, "下亲村镇土"),
        '路' => ("路", Road, "上过费线径程况由人子途演灯"),
        '巷' => ("巷", Road, "子战"),
        '弄' => ("弄", Road, "错好坏丢到清"),
        '村' => ("村", Place, "里民委长"),
        '苑' => ("苑", Place, ""),
        '园' => ("园", Place, "区林艺丁"),
        '栋' => ("栋", Number, "梁"),
        '幢' => ("幢", Number, ""),
        '座' => ("座", Number, "位谈机"),
        '楼' => ("楼", Number, "下上梯道主盘市"),
        '层' => ("层", Number, "次面级"),
        '室' => ("室", Number, "友内外"),
        '组' => ("组", Number, "织合长件成"),
        _ => return None,
    };
    if !not_before.is_empty() {
        // The characters in `not_before` are all three bytes long: compare byte triples.
        if let Some(next) = b.get(w.len()..w.len() + 3) {
            let key = u32::from_le_bytes([next[0], next[1], next[2], 0]);
            if not_before
                .as_bytes()
                .chunks_exact(3)
                .any(|x| u32::from_le_bytes([x[0], x[1], x[2], 0]) == key)
            {
                return None;
            }
        }
    }
    Some((w.len(), level))
}

/// Characters that can begin a marker (the scanner's pre-filter).
pub(crate) static MARKER_START: chars::HanSet = chars::HanSet::new(
    "特自开高新地街大胡社小花公广家号单省市盟州区县旗镇乡路巷弄村苑园栋幢座楼层室组",
);

/// A marker found in a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    /// Byte offset of the marker.
    pub(crate) pos: usize,
    len: usize,
    level: Level,
}

/// The marker at byte `pos` of `text`, if one starts there.
#[inline]
pub(crate) fn mark_at(text: &str, pos: usize) -> Option<Mark> {
    marker_at(&text[pos..]).map(|(len, level)| Mark { pos, len, level })
}

/// The first [`FIRST_MARKS`] markers in `text`, in order, and how many there are: [`marks_of`] without the
/// allocation (an import asks this of every cell of an address column).
fn first_marks(text: &str) -> ([Mark; FIRST_MARKS], usize) {
    let mut marks = [Mark {
        pos: 0,
        len: 0,
        level: Level::Number,
    }; FIRST_MARKS];
    let mut n = 0;
    for (slot, mark) in marks.iter_mut().zip(markers(text)) {
        *slot = mark;
        n += 1;
    }
    (marks, n)
}

/// The markers in `text`, in order.
fn marks_of(text: &str) -> Vec<Mark> {
    markers(text).collect()
}

/// The markers in `text`, in order, found as they are asked for.
fn markers(text: &str) -> impl Iterator<Item = Mark> + '_ {
    text.char_indices()
        .filter(|&(_, c)| MARKER_START.contains(c as u32))
        .filter_map(|(i, _)| mark_at(text, i))
}

/// Function words that never occur inside an address; an address starts after them (住在|朝阳区…).
static BREAKERS: chars::HanSet =
    chars::HanSet::new("的了是在与及或把被给让说要想去到往住送寄请您我你他她它们吗呢吧啊也就还很已再才着没不这哪谁么址");

/// Two-character words that end an address or start one after them.
const BREAK_WORDS: [&str; 14] = [
    "电话", "手机", "地址", "联系", "备注", "快递", "取件", "客户", "姓名", "收件", "寄件", "微信",
    "身份", "邮箱",
];
/// First and last characters of [`BREAK_WORDS`], as pre-filters.
static BREAK_FIRST: chars::HanSet = chars::HanSet::new("电手地联备快取客姓收寄微身邮");
static BREAK_LAST: chars::HanSet = chars::HanSet::new("话机址系注递件户名信份箱");
/// Han numerals that can end the name of a number-level component (三号, 十栋); `〇` is outside the
/// basic block and is tested on its own.
static NUMERALS: chars::HanSet = chars::HanSet::new("一二三四五六七八九十百零两");

/// Whether a break word starts at the beginning of `s`.
#[inline]
fn break_word_at(s: &str) -> bool {
    let (cp, _) = chars::decode_at(s.as_bytes(), 0);
    BREAK_FIRST.contains(cp)
        && BREAK_WORDS
            .iter()
            .any(|w| chars::starts_with_bytes(s.as_bytes(), w.as_bytes()))
}

/// Whether `s` ends with a break word.
#[inline]
fn break_word_before(s: &str) -> bool {
    s.chars()
        .next_back()
        .is_some_and(|c| BREAK_LAST.contains(c as u32))
        && BREAK_WORDS.iter().any(|w| s.ends_with(w))
}

/// Whether the code point can be part of a component name: a Han character that is not a function word,
/// an ASCII or full-width letter or digit, `-` or `#`.
#[inline]
fn is_name_cp(cp: u32) -> bool {
    if chars::is_han_cp(cp) {
        return !BREAKERS.contains(cp);
    }
    matches!(cp, 0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A | 0x2D | 0x23 | 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A | 0xFF0D)
}

/// Whether a character can end the name of a number-level component: a letter, digit or Han numeral.
#[inline]
fn is_numeral_end(c: char) -> bool {
    let cp = c as u32;
    matches!(cp, 0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A | 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
        || NUMERALS.contains(cp)
        || cp == 0x3007
}

/// [`is_name_cp`] on a character.
#[inline]
fn is_name_char(c: char) -> bool {
    is_name_cp(c as u32)
}

/// Province-level and large-city names that may start an address without their marker (北京朝阳区).
const PLACE_NAMES: [&str; 70] = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "深圳",
    "广州",
    "杭州",
    "南京",
    "武汉",
    "成都",
    "西安",
    "苏州",
    "郑州",
    "长沙",
    "沈阳",
    "青岛",
    "宁波",
    "东莞",
    "佛山",
    "合肥",
    "昆明",
    "福州",
    "厦门",
    "哈尔滨",
    "济南",
    "大连",
    "长春",
    "石家庄",
    "南宁",
    "南昌",
    "贵阳",
    "太原",
    "无锡",
    "温州",
    "泉州",
    "兰州",
    "海口",
    "乌鲁木齐",
    "呼和浩特",
    "银川",
];

/// Province-level names (the first 34 of [`PLACE_NAMES`]).
const PROVINCE_COUNT: usize = 34;

/// One parsed component.
#[derive(Debug, Clone, Copy)]
struct Comp {
    end: usize,
    level: Level,
}

/// Most components kept for one address.
const MAX_COMPS: usize = 16;

/// A component starting at `pos` (the name starts there): scans forward over name characters, and at
/// each marker checks whether the name before it is valid for the marker's level; an invalid marker
/// becomes part of the name (科技园|南路 is not a road called 南, so 科技园南路12号 reads on to 号).
fn next_comp(
    text: &str,
    marks: &[Mark],
    cursor: &mut usize,
    pos: usize,
    limit: usize,
) -> Option<Comp> {
    while *cursor < marks.len() && marks[*cursor].pos < pos {
        *cursor += 1;
    }
    let b = text.as_bytes();
    let mut next_mark = marks.get(*cursor).map_or(usize::MAX, |m| m.pos);
    let mut i = pos;
    let mut nchars = 0usize;
    let mut numeral_end = false;
    let mut has_han = false;
    while i < limit {
        if i == next_mark {
            let m = marks[*cursor];
            *cursor += 1;
            next_mark = marks.get(*cursor).map_or(usize::MAX, |m| m.pos);
            if nchars > 0 {
                let ok_len = (m.level.min_name()..=m.level.max_name()).contains(&nchars);
                let ok_kind = match m.level {
                    Level::Number => numeral_end,
                    Level::District | Level::Place => true,
                    _ => has_han,
                };
                if ok_len && ok_kind && i + m.len <= limit {
                    return Some(Comp {
                        end: i + m.len,
                        level: m.level,
                    });
                }
            }
        }
        if nchars >= 12 {
            return None;
        }
        let c0 = b[i];
        if c0 < 0x80 {
            if !(c0.is_ascii_alphanumeric() || c0 == b'-' || c0 == b'#') {
                return None;
            }
            numeral_end = c0.is_ascii_alphanumeric();
            i += 1;
        } else {
            let (cp, len) = if (0xE0..0xF0).contains(&c0) && i + 2 < b.len() {
                (chars::decode3(c0, b[i + 1], b[i + 2]), 3)
            } else {
                chars::decode_at(b, i)
            };
            if (0x4E00..0xA000).contains(&cp) {
                if BREAKERS.contains(cp) || (BREAK_FIRST.contains(cp) && break_word_at(&text[i..]))
                {
                    return None;
                }
                has_han = true;
                numeral_end = NUMERALS.contains(cp);
            } else if matches!(cp, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
                numeral_end = true;
            } else if cp == 0x3007 || chars::is_han_cp(cp) {
                has_han = true;
                numeral_end = cp == 0x3007;
            } else if cp != 0xFF0D {
                return None;
            }
            i += len;
        }
        nchars += 1;
    }
    None
}

/// The components of an address starting exactly at `start`, up to `limit`; returns how many were
/// stored in `out`.
fn components(
    text: &str,
    marks: &[Mark],
    start: usize,
    limit: usize,
    out: &mut [Comp; MAX_COMPS],
    enough: usize,
) -> usize {
    let enough = enough.min(MAX_COMPS);
    let mut n = 0;
    let mut pos = start;
    let mut cursor = marks.partition_point(|m| m.pos < start);
    let mut seen_non_admin = false;
    let mut last_admin: Option<Level> = None;
    while n < enough {
        let Some(c) = next_comp(text, marks, &mut cursor, pos, limit) else {
            break;
        };
        // Administrative levels go from coarse to fine and stop once a road, place or number appeared.
        if c.level.is_admin() {
            if seen_non_admin || last_admin.is_some_and(|l| c.level < l) {
                break;
            }
            last_admin = Some(c.level);
        } else {
            seen_non_admin = true;
        }
        out[n] = c;
        n += 1;
        pos = c.end;
    }
    n
}

/// Whether the components make an address (see the module docs).
fn qualifies(comps: &[Comp]) -> bool {
    let n = comps.len();
    let below_district = comps.iter().any(|c| c.level >= Level::Town);
    let non_number = comps.iter().any(|c| c.level != Level::Number);
    (n >= 2 && below_district && non_number) || n >= ALWAYS_QUALIFIES
}

/// So many components make an address whatever they are ([`qualifies`]).
const ALWAYS_QUALIFIES: usize = 3;

/// A trailing room number after the last number-level component (`3单元401`, `12号-3`): up to six
/// letters, digits or dashes followed by something that is not a name character.
fn trailing_number(text: &str, end: usize, limit: usize) -> usize {
    let mut i = end;
    for c in text[end..limit].chars() {
        let f = chars::fold(c);
        if (f.is_ascii_alphanumeric() || f == '-') && i - end < 6 {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    if i == end {
        return end;
    }
    let next = text[i..].chars().next();
    let digits = text[end..i]
        .chars()
        .any(|c| chars::fold(c).is_ascii_digit());
    if digits && !next.is_some_and(|c| chars::fold(c).is_ascii_alphanumeric()) {
        i
    } else {
        end
    }
}

/// Where the address containing the marker at `m` starts: back over name characters (at most the
/// level's name length), not before `floor`, moved forward to a known place name if one occurs.
fn start_before(text: &str, m: usize, floor: usize, level: Level) -> usize {
    let mut start = m;
    for (n, c) in text[floor..m].chars().rev().enumerate() {
        if !is_name_char(c) || n >= level.max_name() || break_word_before(&text[..start]) {
            break;
        }
        start -= c.len_utf8();
    }
    // A province or big-city name inside the first name is where the address really starts (家|北京朝阳区).
    let mut p = start;
    while p < m {
        if place_name_at(&text[p..m]).is_some() {
            return p;
        }
        p += text[p..].chars().next().map_or(1, char::len_utf8);
    }
    start
}

/// The province and city names of [`PLACE_NAMES`] that start with `c`.
fn place_names_starting(c: char) -> &'static [&'static str] {
    match c {
        '北' => &["北京"],
        '天' => &["天津"],
        '上' => &["上海"],
        '重' => &["重庆"],
        '河' => &["河北", "河南"],
        '山' => &["山西", "山东"],
        '辽' => &["辽宁"],
        '吉' => &["吉林"],
        '黑' => &["黑龙江"],
        '江' => &["江苏", "江西"],
        '浙' => &["浙江"],
        '安' => &["安徽"],
        '福' => &["福建", "福州"],
        '湖' => &["湖北", "湖南"],
        '广' => &["广东", "广西", "广州"],
        '海' => &["海南", "海口"],
        '四' => &["四川"],
        '贵' => &["贵州", "贵阳"],
        '云' => &["云南"],
        '陕' => &["陕西"],
        '甘' => &["甘肃"],
        '青' => &["青海", "青岛"],
        '台' => &["台湾"],
        '内' => &["内蒙古"],
        '西' => &["西藏", "西安"],
        '宁' => &["宁夏", "宁波"],
        '新' => &["新疆"],
        '香' => &["香港"],
        '澳' => &["澳门"],
        '深' => &["深圳"],
        '杭' => &["杭州"],
        '南' => &["南京", "南宁", "南昌"],
        '武' => &["武汉"],
        '成' => &["成都"],
        '苏' => &["苏州"],
        '郑' => &["郑州"],
        '长' => &["长沙", "长春"],
        '沈' => &["沈阳"],
        '东' => &["东莞"],
        '佛' => &["佛山"],
        '合' => &["合肥"],
        '昆' => &["昆明"],
        '厦' => &["厦门"],
        '哈' => &["哈尔滨"],
        '济' => &["济南"],
        '大' => &["大连"],
        '石' => &["石家庄"],
        '太' => &["太原"],
        '无' => &["无锡"],
        '温' => &["温州"],
        '泉' => &["泉州"],
        '兰' => &["兰州"],
        '乌' => &["乌鲁木齐"],
        '呼' => &["呼和浩特"],
        '银' => &["银川"],
        _ => &[],
    }
}

/// The length of the province or city name at the start of `s`, if any.
fn place_name_at(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    let b = s.as_bytes();
    place_names_starting(first)
        .iter()
        .find(|p| chars::starts_with_bytes(b, p.as_bytes()))
        .map(|p| p.len())
}

/// Finds every address in `text[from..to]` and reports its byte span.
#[cfg(test)]
pub(crate) fn find_in(text: &str, from: usize, to: usize, out: &mut impl FnMut(usize, usize)) {
    find_at(text, &marks_of(text), from, to, out);
}

/// Like [`find_in`], with the markers of the whole text already found (ascending, as the scanner
/// records them). Linear: each marker is looked at once, and each look is bounded by the component
/// lengths.
pub(crate) fn find_at(
    text: &str,
    marks: &[Mark],
    from: usize,
    to: usize,
    out: &mut impl FnMut(usize, usize),
) {
    let mut floor = from;
    let mut comps = [Comp {
        end: 0,
        level: Level::Number,
    }; MAX_COMPS];
    let lo = marks.partition_point(|m| m.pos < from);
    let hi = marks.partition_point(|m| m.pos < to);
    // An address has at least two components, so at least two markers.
    if hi - lo < 2 {
        return;
    }
    for k in lo..hi {
        let m = marks[k];
        if m.pos <= floor {
            continue;
        }
        // The last marker can only end an address whose first marker came before it.
        if k + 1 == hi && (k == lo || marks[k - 1].pos <= floor) {
            break;
        }
        // A number marker needs a numeral in front (12号, 三单元; not 单号, QQ号): otherwise it is part
        // of a name, and the marker after it is tried on its own.
        if m.level == Level::Number
            && !text[..m.pos]
                .chars()
                .next_back()
                .is_some_and(is_numeral_end)
        {
            continue;
        }
        let start = start_before(text, m.pos, floor, m.level);
        if start == m.pos {
            continue;
        }
        let n = components(text, marks, start, to, &mut comps, MAX_COMPS);
        if n > 0 && comps[n - 1].end > m.pos && qualifies(&comps[..n]) {
            let mut end = comps[n - 1].end;
            if comps[n - 1].level == Level::Number {
                end = trailing_number(text, end, to);
            }
            out(start, end);
            floor = end;
        }
    }
}

/// Whether the whole cell reads as an address from its start (a label such as `地址：` is skipped).
pub fn is_address(s: &str) -> bool {
    let t = strip_label(chars::trim(s));
    let mut comps = [Comp {
        end: 0,
        level: Level::Number,
    }; MAX_COMPS];
    // Three components always qualify: the rest of a long address need not be read (an import checks every
    // cell of an address column). Nor need its markers be found: a component ends at a marker and
    // `next_comp` reads the markers in order, never past the one that ends the component it returns, so
    // three components found with the first few markers are the three found with all of them. Only when
    // they are not are all the markers looked for.
    let (first, found) = first_marks(t);
    let first = &first[..found];
    let n = components(t, first, 0, t.len(), &mut comps, ALWAYS_QUALIFIES);
    if n >= ALWAYS_QUALIFIES {
        return true;
    }
    let n = if first.len() < FIRST_MARKS {
        n
    } else {
        components(t, &marks_of(t), 0, t.len(), &mut comps, ALWAYS_QUALIFIES)
    };
    n > 0 && qualifies(&comps[..n])
}

/// Markers [`is_address`] looks for first: three components, and one more for a word that looked like a
/// marker and was not one.
const FIRST_MARKS: usize = ALWAYS_QUALIFIES + 1;

fn strip_label(s: &str) -> &str {
    for l in ["收货地址", "收件地址", "家庭住址", "地址", "住址"] {
        if let Some(rest) = s.strip_prefix(l) {
            return chars::trim(rest.trim_start_matches([':', '：']));
        }
    }
    s
}

/// The address cut down to its district (or county): `广东省深圳市南山区科技园南路12号` →
/// `广东省深圳市南山区`. `None` when the address does not start with administrative components.
pub fn district_prefix(s: &str) -> Option<&str> {
    admin_prefix(s, Level::District)
}

/// The address cut down to province and city: `广东省深圳市南山区…` → `广东省深圳市`; `北京朝阳区…` →
/// `北京`.
pub fn city_prefix(s: &str) -> Option<&str> {
    admin_prefix(s, Level::City)
}

fn admin_prefix(s: &str, finest: Level) -> Option<&str> {
    let t = strip_label(chars::trim(s));
    let mut comps = [Comp {
        end: 0,
        level: Level::Number,
    }; MAX_COMPS];
    let n = components(t, &marks_of(t), 0, t.len(), &mut comps, MAX_COMPS);
    let mut end = 0;
    for c in &comps[..n] {
        if c.level <= finest {
            end = c.end;
        } else {
            break;
        }
    }
    if end == 0 {
        // No marker on the coarse levels: a known province or city name at the start (北京朝阳区 → 北京).
        let mut pos = 0;
        for (i, p) in PLACE_NAMES.iter().enumerate() {
            if t.starts_with(p) {
                pos = p.len();
                if i >= PROVINCE_COUNT || finest >= Level::City {
                    // Optionally followed by a city name (广东深圳南山区 → 广东深圳).
                    if let Some(c) = PLACE_NAMES[PROVINCE_COUNT..]
                        .iter()
                        .find(|c| t[pos..].starts_with(**c))
                    {
                        pos += c.len();
                    }
                }
                break;
            }
        }
        // Never reveal all of a short cell.
        return (pos > 0 && pos < t.len()).then(|| &t[..pos]);
    }
    (end < t.len() || n > 1).then(|| &t[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        find_in(text, 0, text.len(), &mut |s, e| v.push(&text[s..e]));
        v
    }

    #[test]
    fn addresses_in_text() {
        for (t, want) in [
            (
                "地址：广东省深圳市南山区科技园南路12号3栋401室，电话",
                "广东省深圳市南山区科技园南路12号3栋401室",
            ),
            ("住在朝阳区建设路12号", "朝阳区建设路12号"),
            (
                "送到北京市朝阳区望京街道阳光小区5号楼2单元301",
                "北京市朝阳区望京街道阳光小区5号楼2单元301",
            ),
            ("客户家北京朝阳区建设路8号", "北京朝阳区建设路8号"),
            ("新地址：杭州市西湖区文三路90号", "杭州市西湖区文三路90号"),
            (
                "寄到上海市浦东新区张江镇科苑路88弄6号。",
                "上海市浦东新区张江镇科苑路88弄6号",
            ),
            ("广东省深圳市南山区", "广东省深圳市南山区"),
            (
                "河南省周口市郸城县张庄乡李楼村3组",
                "河南省周口市郸城县张庄乡李楼村3组",
            ),
        ] {
            assert_eq!(found(t), vec![want], "{t}");
        }
    }

    #[test]
    fn ordinary_words_are_not_addresses() {
        for t in [
            "去市场买菜",
            "区别不大",
            "号码换了",
            "路过时来取",
            "省钱小妙招",
            "旗舰店下单",
            "朝阳区",
            "北京市朝阳区",
            "一路顺风",
            "城区的超市",
            "账号已注销",
            "3月5号下午到",
            "楼下快递柜",
            "会议室开会",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn place_name_lookup_covers_the_table() {
        for p in PLACE_NAMES {
            assert_eq!(place_name_at(p), Some(p.len()), "{p}");
        }
        assert_eq!(place_name_at("北方"), None);
    }

    #[test]
    fn whole_cells() {
        assert!(is_address("广东省深圳市南山区科技园南路12号"));
        assert!(is_address("地址：建设路12号"));
        assert!(!is_address("张三"));
        assert!(!is_address("南山区"));
    }

    #[test]
    fn prefixes_for_masking() {
        let a = "广东省深圳市南山区科技园南路12号3栋401室";
        assert_eq!(district_prefix(a), Some("广东省深圳市南山区"));
        assert_eq!(city_prefix(a), Some("广东省深圳市"));
        assert_eq!(
            district_prefix("北京市朝阳区建设路8号"),
            Some("北京市朝阳区")
        );
        assert_eq!(city_prefix("北京市朝阳区建设路8号"), Some("北京市"));
        assert_eq!(district_prefix("北京朝阳区建设路8号"), Some("北京朝阳区"));
        assert_eq!(city_prefix("北京朝阳区建设路8号"), Some("北京"));
        assert_eq!(city_prefix("广东深圳南山区科技园"), Some("广东深圳"));
        assert_eq!(district_prefix("建设路12号"), None);
        assert_eq!(district_prefix("北京"), None, "never the whole value");
        assert_eq!(
            district_prefix("上海市浦东新区张江镇"),
            Some("上海市浦东新区")
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = found(&s);
            let _ = is_address(&s);
            let _ = district_prefix(&s);
            let _ = city_prefix(&s);
        }

        /// Looking only for the first few markers decides as looking for all of them would.
        #[test]
        fn the_first_markers_decide_as_all_would(
            s in "(地址：)?([省市区县旗镇乡路街道号栋幢室单元小区花园大厦村北京朝阳广州深圳南山建设科技0-9一二三 ，的在]|自治区|开发区|街道|大道|号楼){0,24}"
        ) {
            let t = strip_label(chars::trim(&s));
            let mut comps = [Comp { end: 0, level: Level::Number }; MAX_COMPS];
            let n = components(t, &marks_of(t), 0, t.len(), &mut comps, ALWAYS_QUALIFIES);
            prop_assert_eq!(is_address(&s), n > 0 && qualifies(&comps[..n]), "{}", s);
        }

        #[test]
        fn never_panics_on_address_alphabet(s in "[省市区县镇乡路街号栋室单元小村北京朝阳建设0-9 ，的在]{0,40}") {
            let spans = found(&s);
            for w in spans.windows(2) {
                prop_assert!(!w[0].is_empty() && !w[1].is_empty());
            }
            if let Some(p) = district_prefix(&s) {
                prop_assert!(s.trim().starts_with(p));
            }
        }
    }
}
