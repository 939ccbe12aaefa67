//! Deterministic customer lists as a shop's POS, a courier station's system and a small company's customer
//! archive export them: Chinese
//! headers, a title line above the header, and the noise real exports have (phones with +86, spaces or
//! full-width digits, dates in several styles, money with ¥ and thousands separators, notes with phone
//! numbers inside, a few unreadable dates and amounts). The same seed always gives the same file.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::rng::Rng;
use crate::values::bank_card::{format_grouped, luhn_check_digit};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂英", "建华", "志强", "海燕",
];
const DISTRICTS: &[&str] = &[
    "北京市朝阳区",
    "上海市浦东新区",
    "广东省深圳市南山区",
    "浙江省杭州市西湖区",
    "四川省成都市武侯区",
    "湖北省武汉市洪山区",
];
const ROADS: &[&str] = &[
    "建设路",
    "人民路",
    "解放大道",
    "中山路",
    "文化街",
    "科技园南路",
];
const COURIERS: &[&str] = &[
    "顺丰",
    "京东",
    "中通",
    "圆通",
    "申通",
    "韵达",
    "极兔",
    "邮政EMS",
];

fn mobile(rng: &mut Rng) -> String {
    let prefixes = ["13", "15", "17", "18", "19", "14", "16"];
    format!(
        "{}{}{:08}",
        prefixes[rng.below(prefixes.len() as u64) as usize],
        rng.below(10),
        rng.below(100_000_000)
    )
}

/// A mobile written the ways people type them.
fn noisy_mobile(rng: &mut Rng, m: &str) -> String {
    match rng.below(100) {
        0..=79 => m.to_string(),
        80..=84 => format!("+86 {m}"),
        85..=88 => format!("{} {} {}", &m[..3], &m[3..7], &m[7..]),
        89..=91 => format!("{}-{}-{}", &m[..3], &m[3..7], &m[7..]),
        92..=94 => m
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        95..=97 => format!("0086{m}"),
        _ => format!("{}{}", &m[..10], "x"), // a typo: flagged, kept
    }
}

/// Whether `noisy_mobile` made a typo of the number (ten digits and an `x`): the import flags it, and it is
/// not a phone number to count.
fn is_mobile_typo(s: &str) -> bool {
    s.len() == 11 && s.ends_with('x')
}

fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn date(rng: &mut Rng, year_from: u64, years: u64) -> (u64, u64, u64) {
    (
        year_from + rng.below(years),
        1 + rng.below(12),
        1 + rng.below(28),
    )
}

fn noisy_date(rng: &mut Rng, (y, m, d): (u64, u64, u64)) -> String {
    match rng.below(100) {
        0..=59 => format!("{y}-{m:02}-{d:02}"),
        60..=74 => format!("{y}/{m}/{d}"),
        75..=84 => format!("{y}年{m}月{d}日"),
        85..=94 => format!("{y}{m:02}{d:02}"),
        95..=98 => format!(
            "{y}-{m:02}-{d:02} {:02}:{:02}",
            rng.below(24),
            rng.below(60)
        ),
        _ => "去年".to_string(), // unreadable: flagged, kept
    }
}

fn money(rng: &mut Rng) -> String {
    if rng.chance(300) {
        return "0".to_string();
    }
    let fen = rng.below(500_000);
    let (yuan, fen) = (fen / 100, fen % 100);
    match rng.below(100) {
        0..=59 => format!("{yuan}.{fen:02}"),
        60..=74 => format!("¥{yuan}.{fen:02}"),
        75..=84 => format!("{yuan}.{fen:02}元"),
        85..=94 if yuan >= 1000 => format!("¥{},{:03}.{fen:02}", yuan / 1000, yuan % 1000),
        85..=98 => format!("{yuan}"),
        _ => "待核对".to_string(), // unreadable: flagged, kept
    }
}

fn address(rng: &mut Rng) -> String {
    format!(
        "{}{}{}号{}栋{}单元{}室",
        rng.pick(DISTRICTS),
        rng.pick(ROADS),
        1 + rng.below(300),
        1 + rng.below(30),
        1 + rng.below(6),
        101 + rng.below(2000)
    )
}

fn csv_field(out: &mut impl Write, s: &str) -> io::Result<()> {
    if s.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", s.replace('"', "\"\""))
    } else {
        out.write_all(s.as_bytes())
    }
}

fn csv_row(out: &mut impl Write, cells: &[&str]) -> io::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        csv_field(out, c)?;
    }
    out.write_all(b"\r\n")
}

/// The shop's membership list: `rows` members, of whom a tenth appear twice (a second card).
pub fn shop_csv(path: &Path, rows: u64, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all("\u{feff}".as_bytes())?;
    csv_row(&mut out, &["某某便利店会员列表（导出时间 2026-11-01）"])?;
    csv_row(
        &mut out,
        &[
            "会员卡号",
            "姓名",
            "手机号",
            "性别",
            "生日",
            "储值余额",
            "积分",
            "最近消费",
            "地址",
            "备注",
        ],
    )?;
    let mut last_mobile = mobile(&mut rng);
    for i in 0..rows {
        let m = if rng.chance(100) {
            last_mobile.clone()
        } else {
            mobile(&mut rng)
        };
        let note = match rng.below(100) {
            0..=69 => String::new(),
            70..=84 => "老顾客".to_string(),
            85..=92 => format!("备用电话{}", mobile(&mut rng)),
            _ => "喜欢无糖饮料，周末来".to_string(),
        };
        let birthday = date(&mut rng, 1950, 60);
        let last = date(&mut rng, 2019, 7);
        csv_row(
            &mut out,
            &[
                &format!("VIP{:08}", i + 1),
                &name(&mut rng),
                &noisy_mobile(&mut rng, &m),
                if rng.chance(500) { "男" } else { "女" },
                &noisy_date(&mut rng, birthday),
                &money(&mut rng),
                &rng.below(20_000).to_string(),
                &noisy_date(&mut rng, last),
                &address(&mut rng),
                &note,
            ],
        )?;
        last_mobile = m;
    }
    out.flush()
}

/// Another shop's membership export, shaped unlike [`shop_csv`] so the import benchmark does not measure one
/// file's luck: GBK (no BOM), no title line, the phone first and the columns in another order and under other
/// names, an opening date beside the birthday, and notes in most rows — longer, some holding a second phone or
/// an ID number. Dates and amounts in mixed styles (`￥`, not `¥`: GBK has only the full-width sign).
pub fn shop_gbk_csv(path: &Path, rows: u64, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed ^ 0x5eed_0b0b);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut line: Vec<u8> = Vec::with_capacity(512);
    let write_gbk = |out: &mut BufWriter<std::fs::File>, line: &[u8]| -> io::Result<()> {
        let text = std::str::from_utf8(line).map_err(io::Error::other)?;
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
        if unmappable {
            return Err(io::Error::other(format!("not in GBK: {text}")));
        }
        out.write_all(&bytes)
    };
    csv_row(
        &mut line,
        &[
            "手机",
            "会员姓名",
            "等级",
            "消费积分",
            "余额(元)",
            "开卡日期",
            "出生日期",
            "最后到店",
            "会员备注",
            "联系地址",
        ],
    )?;
    write_gbk(&mut out, &line)?;
    for _ in 0..rows {
        let m = mobile(&mut rng);
        let note = match rng.below(100) {
            0..=34 => String::new(),
            35..=54 => "老会员，每周二、周四来买菜，喜欢称散装的".to_string(),
            55..=69 => format!(
                "家里人也用这个卡，备用电话{}，有事先打这个",
                mobile(&mut rng)
            ),
            70..=79 => format!("办卡时登记身份证{}，说以后要开发票", id_card(&mut rng)),
            80..=89 => "上次投诉过找零的问题，已经道歉并送了积分；下次来店请店长接待".to_string(),
            _ => "不要打电话推销".to_string(),
        };
        let opened = date(&mut rng, 2015, 10);
        let birthday = date(&mut rng, 1945, 65);
        let last = date(&mut rng, 2020, 6);
        line.clear();
        csv_row(
            &mut line,
            &[
                &noisy_mobile(&mut rng, &m),
                &name(&mut rng),
                rng.pick(&["普通", "银卡", "金卡", "钻石"]),
                &rng.below(50_000).to_string(),
                &money(&mut rng).replace('¥', "￥"),
                &noisy_date(&mut rng, opened),
                &noisy_date(&mut rng, birthday),
                &noisy_date(&mut rng, last),
                &note,
                &address(&mut rng),
            ],
        )?;
        write_gbk(&mut out, &line)?;
    }
    out.flush()
}

/// The courier station's pickup records: one row per parcel; regular recipients collect many parcels.
pub fn courier_csv(path: &Path, rows: u64, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    csv_row(
        &mut out,
        &[
            "运单号",
            "快递公司",
            "收件人",
            "收件人手机",
            "取件码",
            "入库时间",
            "取件时间",
            "状态",
            "备注",
        ],
    )?;
    let regulars: Vec<(String, String)> = (0..(rows / 8).max(1))
        .map(|_| (name(&mut rng), mobile(&mut rng)))
        .collect();
    for _ in 0..rows {
        let (n, m) = &regulars[rng.below(regulars.len() as u64) as usize];
        let courier = rng.pick(COURIERS);
        let waybill = match courier {
            "顺丰" => format!("SF{:013}", rng.below(10_000_000_000_000)),
            "京东" => format!("JDV{:012}", rng.below(1_000_000_000_000)),
            "中通" => format!("7{:013}", rng.below(10_000_000_000_000)),
            "圆通" => format!("YT{:013}", rng.below(10_000_000_000_000)),
            "申通" => format!("77{:011}", rng.below(100_000_000_000)),
            "韵达" => format!("43{:011}", rng.below(100_000_000_000)),
            "极兔" => format!("JT{:013}", rng.below(10_000_000_000_000)),
            _ => format!("EA{:09}CN", rng.below(1_000_000_000)),
        };
        let inbound = date(&mut rng, 2025, 2);
        let collected = rng.chance(900);
        csv_row(
            &mut out,
            &[
                &waybill,
                courier,
                n,
                &noisy_mobile(&mut rng, m),
                &format!(
                    "{}-{}-{}",
                    1 + rng.below(9),
                    1 + rng.below(6),
                    1000 + rng.below(9000)
                ),
                &format!(
                    "{}-{:02}-{:02} {:02}:{:02}",
                    inbound.0,
                    inbound.1,
                    inbound.2,
                    8 + rng.below(12),
                    rng.below(60)
                ),
                &if collected {
                    format!("{}-{:02}-{:02}", inbound.0, inbound.1, inbound.2)
                } else {
                    String::new()
                },
                if collected { "已取件" } else { "待取件" },
                if rng.chance(50) { "放门口" } else { "" },
            ],
        )?;
    }
    out.flush()
}

/// Area codes of the landlines in the company's archive: the three-digit big-city codes and a few four-digit
/// ones, as a regional trading company's customers would have them.
const AREA_CODES: &[&str] = &[
    "010", "021", "020", "022", "023", "027", "028", "029", "0755", "0571", "0512", "0731", "0532",
    "0591", "0371",
];
const CITIES: &[&str] = &["北京", "上海", "深圳", "杭州", "成都", "武汉", "苏州"];
const COMPANY_WORDS: &[&str] = &[
    "华信", "恒达", "宏远", "金盛", "鑫源", "东方", "长江", "瑞丰", "新锐", "博达",
];
const COMPANY_KINDS: &[&str] = &[
    "商贸有限公司",
    "科技有限公司",
    "建材经营部",
    "餐饮管理有限公司",
    "五金店",
];
const EMAIL_DOMAINS: &[&str] = &["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"];
const PINYIN: &[&str] = &[
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
];

/// A landline with area code, written the ways office numbers are: `0755-82345678`, `(021)62345678`, with
/// an extension (`转8021`, `-21`) now and then.
fn landline(rng: &mut Rng) -> String {
    let area = rng.pick(AREA_CODES);
    let local = format!("{}{:07}", 2 + rng.below(7), rng.below(10_000_000));
    let number = match rng.below(100) {
        0..=59 => format!("{area}-{local}"),
        60..=74 => format!("({area}){local}"),
        75..=84 => format!("{area} {local}"),
        _ => format!("{area}{local}"),
    };
    match rng.below(100) {
        0..=74 => number,
        75..=89 => format!("{number}转{}", 100 + rng.below(9000)),
        _ => format!("{number}-{}", 10 + rng.below(90)),
    }
}

/// A valid 18-digit resident ID (GB 11643 check digit), with a region code of a real province.
fn id_card(rng: &mut Rng) -> String {
    let s = id_number(rng, 1955, 50);
    match rng.below(100) {
        0..=89 => s,
        90..=94 => s.to_lowercase(),
        _ => format!("{} {} {}", &s[..6], &s[6..14], &s[14..]),
    }
}

/// A valid 18-digit resident ID of someone born in `years` years from `year_from`, written plainly.
fn id_number(rng: &mut Rng, year_from: u64, years: u64) -> String {
    let provinces = [11, 31, 32, 33, 37, 41, 42, 44, 51, 61];
    let (y, m, d) = date(rng, year_from, years);
    let mut s = format!(
        "{:02}{:02}{:02}{y}{m:02}{d:02}{:03}",
        rng.pick(&provinces),
        1 + rng.below(20),
        1 + rng.below(30),
        rng.below(1000)
    );
    let check = handover_core::detect::id_card::check_digit(s.as_bytes()).unwrap_or(b'0');
    s.push(check as char);
    s
}

/// A Luhn-valid UnionPay (62…) card of 16 or 19 digits, sometimes written in groups of four.
fn bank_card(rng: &mut Rng) -> String {
    let len = if rng.chance(300) { 16 } else { 19 };
    let mut digits: Vec<u8> = b"62".to_vec();
    while digits.len() < len - 1 {
        digits.push(b'0' + rng.below(10) as u8);
    }
    digits.push(luhn_check_digit(&digits));
    let card = String::from_utf8(digits).unwrap_or_default();
    if rng.chance(300) {
        format_grouped(&card)
    } else {
        card
    }
}

fn email(rng: &mut Rng) -> String {
    let local = match rng.below(3) {
        0 => (10_000 + rng.below(2_000_000_000)).to_string(),
        1 => format!("{}.{}", rng.pick(PINYIN), rng.pick(PINYIN)),
        _ => format!("{}{}", rng.pick(PINYIN), rng.below(10_000)),
    };
    format!("{local}@{}", rng.pick(EMAIL_DOMAINS))
}

/// The personal information one generated company row really holds, for scoring what an import counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyRowTruth {
    /// The row number in the file (the title is row 1, the header row 2).
    pub row: u64,
    /// Valid mobiles, landlines, ID numbers and bank cards, in the columns and in the notes together.
    pub mobiles: u32,
    pub landlines: u32,
    pub id_cards: u32,
    pub bank_cards: u32,
    /// The notes hold the ID number of a child (born 2014–2018: under 14 on any day of 2026 and 2027).
    pub minor_in_notes: bool,
}

/// A small company's customer archive (客户档案) as its bookkeeping software exports it: one row per customer,
/// a contact person with an office landline (or, as often, a mobile typed into the landline column), ID and
/// bank account for the customers who pay by transfer, prepaid amounts and notes that sometimes hold a
/// second phone number.
pub fn company_csv(path: &Path, rows: u64, seed: u64) -> io::Result<()> {
    company_csv_with(path, rows, seed, &mut |_| {})
}

/// [`company_csv`], also saying what each row holds: a landline now and then in the mobile column as in the
/// phone column, bank cards written with Excel's apostrophe (`'6217…`), ID numbers in the notes (some a
/// child's).
pub fn company_csv_with_truth(
    path: &Path,
    rows: u64,
    seed: u64,
) -> io::Result<Vec<CompanyRowTruth>> {
    let mut truth = Vec::with_capacity(rows as usize);
    company_csv_with(path, rows, seed, &mut |t| truth.push(t))?;
    Ok(truth)
}

fn company_csv_with(
    path: &Path,
    rows: u64,
    seed: u64,
    on_row: &mut dyn FnMut(CompanyRowTruth),
) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all("\u{feff}".as_bytes())?;
    csv_row(&mut out, &["客户档案（截至 2026-10-31）"])?;
    csv_row(
        &mut out,
        &[
            "客户编号",
            "客户名称",
            "联系人",
            "联系电话",
            "手机",
            "身份证号",
            "银行账号",
            "电子邮箱",
            "开票地址",
            "最近往来",
            "预付款",
            "备注",
        ],
    )?;
    for i in 0..rows {
        let company = format!(
            "{}{}{}",
            rng.pick(CITIES),
            rng.pick(COMPANY_WORDS),
            rng.pick(COMPANY_KINDS)
        );
        let mut t = CompanyRowTruth {
            row: i + 3,
            ..CompanyRowTruth::default()
        };
        let contact = name(&mut rng);
        // The office number: mostly a landline, but a quarter of small customers give a mobile.
        let phone = if rng.chance(250) {
            let m = mobile(&mut rng);
            let noisy = noisy_mobile(&mut rng, &m);
            t.mobiles += u32::from(!is_mobile_typo(&noisy));
            noisy
        } else {
            t.landlines += 1;
            landline(&mut rng)
        };
        // The mobile column: now and then the office landline typed in again.
        let m = if rng.chance(150) {
            String::new()
        } else if rng.chance(40) {
            t.landlines += 1;
            landline(&mut rng)
        } else {
            let m = mobile(&mut rng);
            let noisy = noisy_mobile(&mut rng, &m);
            t.mobiles += u32::from(!is_mobile_typo(&noisy));
            noisy
        };
        let id = if rng.chance(200) {
            String::new()
        } else {
            t.id_cards += 1;
            id_card(&mut rng)
        };
        let card = if rng.chance(300) {
            String::new()
        } else {
            t.bank_cards += 1;
            let card = bank_card(&mut rng);
            // Excel users keep long numbers as text with a leading apostrophe.
            if rng.chance(300) {
                format!("'{card}")
            } else {
                card
            }
        };
        let mail = if rng.chance(200) {
            String::new()
        } else {
            email(&mut rng)
        };
        let last = date(&mut rng, 2020, 7);
        let note = match rng.below(100) {
            0..=59 => String::new(),
            60..=74 => "月结客户".to_string(),
            75..=84 => {
                t.mobiles += 1;
                format!("财务{}电话{}", name(&mut rng), mobile(&mut rng))
            }
            85..=89 => {
                t.landlines += 1;
                format!("送货前先打{}", landline(&mut rng))
            }
            90..=93 => {
                t.id_cards += 1;
                format!("法人身份证{}", id_number(&mut rng, 1960, 40))
            }
            94..=95 => {
                t.id_cards += 1;
                t.minor_in_notes = true;
                format!(
                    "代办人之子 身份证：{} 随同办理",
                    id_number(&mut rng, 2014, 5)
                )
            }
            _ => "发票寄到开票地址，抬头同客户名称".to_string(),
        };
        csv_row(
            &mut out,
            &[
                &format!("KH{:06}", i + 1),
                &company,
                &contact,
                &phone,
                &m,
                &id,
                &card,
                &mail,
                &address(&mut rng),
                &noisy_date(&mut rng, last),
                &money(&mut rng),
                &note,
            ],
        )?;
        on_row(t);
    }
    out.flush()
}
