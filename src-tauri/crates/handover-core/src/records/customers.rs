//! Linking records to customers: one person may appear in many rows and many sources.
//!
//! Records are linked by normalised mobile number, or by ID number where present (an ID number is the
//! stronger key: two people may share a phone, never an ID). The keys are held in memory as integers while an
//! import runs, so linking a million rows costs two hash lookups each and no query. The keys an import adds
//! are written to `customer_keys` at its end, sorted, so the table grows by appending (see migration
//! LEANER_IMPORT).
//!
//! Memory is bounded all the same: past [`keys_in_memory`] keys (seven million: about 140 MB, more than a
//! seven-million-row shop list has customers) further keys go to a scratch database beside the case
//! ([`KeyOverflow`]), where each costs a lookup in a b-tree instead of a hash. A file of fifty million
//! different phone numbers is imported more slowly rather than exhausting the laptop's memory.

use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};

use super::many_rows::ManyRows;

use crate::store::ScratchDb;
use crate::Result;

/// Assigns customer ids to incoming records inside an import's transaction.
#[derive(Debug)]
pub struct CustomerLinker {
    by_mobile: MobileIndex,
    by_id_number: HashMap<u64, i64>,
    next_id: i64,
    /// Customers created by this linker, for the import's summary.
    pub created: u64,
    /// Keys added since `load`, written to `customer_keys` by `finish`. Integers, not text: at five million
    /// customers pairs of strings were 150 MB. A mobile number is kept with its customer in one word, as in
    /// the index (looking each up in the index again at the end, in number order, missed the processor's
    /// caches every time: a quarter of the import's last, single-threaded second at a million rows); an ID
    /// number's customer is in `by_id_number`.
    new_mobiles: NewMobiles,
    new_id_numbers: Vec<u64>,
    /// Keys in the two maps above, and how many they may hold ([`keys_in_memory`]).
    in_memory: usize,
    budget: usize,
    /// The keys past the budget, opened when the first one comes.
    overflow: Option<KeyOverflow>,
    /// The case, beside which the overflow goes.
    case_path: Option<PathBuf>,
}

/// How many keys the linker holds in memory before the rest go to its [`KeyOverflow`]. Seven million: just
/// below what an index of 2^23 slots holds (7/8 of them) before it doubles, which at 7.34 million numbers
/// would take 150 MB more at once. A mobile number takes about 9 bytes of index and 8 of the list of new
/// keys, an ID number 17 and 8, so the linker stays near 140 MB (200 MB were all of them ID numbers) however
/// large the file. (A seven-million-row shop list has 6.3 million customers: a budget of six million put 0.4
/// million keys in the overflow, and the import took 241 MB and 37.9 s against 227 MB and 31.6 s.) Debug
/// builds take another number from `HANDOVER_TEST_LINKER_KEYS`, so a test can show on a few hundred
/// thousand rows that the importer's memory past the budget does not grow with the customers.
fn keys_in_memory() -> usize {
    crate::budgets::budget("HANDOVER_TEST_LINKER_KEYS", 7_000_000)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Mobile,
    IdNumber,
}

impl KeyKind {
    /// The kind as `customer_keys` names it (the field's id).
    fn id(self) -> &'static str {
        match self {
            KeyKind::Mobile => "mobile",
            KeyKind::IdNumber => "id_card",
        }
    }
}

/// The keys past the linker's budget, in a scratch database (encrypted, removed with the linker): one table
/// per kind, the integer key as the row id (an ID number's key above 2^63 wraps to a negative one).
#[derive(Debug)]
struct KeyOverflow {
    db: ScratchDb,
}

impl KeyOverflow {
    /// Its page cache: 16 MiB. A mobile number and its customer take about 16 bytes of a page, so the
    /// first million keys past the budget are looked up without reading a page back.
    const CACHE_KIB: u64 = 16 * 1024;

    /// Its file: `.<case name>.linker`.
    const SUFFIX: &str = "linker";

    fn create(case: Option<&Path>) -> Result<KeyOverflow> {
        let db = ScratchDb::create(
            case,
            Self::SUFFIX,
            crate::store::import_cache_kib(Self::CACHE_KIB),
        )?;
        // `added`: learnt by this linker (to be written to `customer_keys`), not loaded from the case. One
        // transaction, never committed (the file goes with the linker): a transaction per key wrote its
        // pages out each time, four times the import's time.
        db.conn().execute_batch(
            "CREATE TABLE mobile (key INTEGER PRIMARY KEY, customer INTEGER NOT NULL, added INTEGER NOT NULL);
             CREATE TABLE id_number (key INTEGER PRIMARY KEY, customer INTEGER NOT NULL, added INTEGER NOT NULL);
             BEGIN;",
        )?;
        Ok(KeyOverflow { db })
    }

    fn get(&self, kind: KeyKind, key: u64) -> Result<Option<i64>> {
        let sql = match kind {
            KeyKind::Mobile => "SELECT customer FROM mobile WHERE key = ?1",
            KeyKind::IdNumber => "SELECT customer FROM id_number WHERE key = ?1",
        };
        Ok(self
            .db
            .conn()
            .prepare_cached(sql)?
            .query_row([key as i64], |r| r.get(0))
            .optional()?)
    }

    fn insert(&self, kind: KeyKind, key: u64, customer: i64, added: bool) -> Result<()> {
        let sql = match kind {
            KeyKind::Mobile => "INSERT INTO mobile (key, customer, added) VALUES (?1, ?2, ?3)",
            KeyKind::IdNumber => "INSERT INTO id_number (key, customer, added) VALUES (?1, ?2, ?3)",
        };
        self.db
            .conn()
            .prepare_cached(sql)?
            .execute(params![key as i64, customer, added])?;
        Ok(())
    }

    /// Calls `each` with every key of `kind` this linker learnt, by key, and its customer.
    fn for_each_added(
        &self,
        kind: KeyKind,
        mut each: impl FnMut(u64, i64) -> Result<()>,
    ) -> Result<()> {
        let sql = match kind {
            KeyKind::Mobile => "SELECT key, customer FROM mobile WHERE added ORDER BY key",
            KeyKind::IdNumber => "SELECT key, customer FROM id_number WHERE added ORDER BY key",
        };
        let mut stmt = self.db.conn().prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get::<_, i64>(0)? as u64, r.get(1)?)?;
        }
        Ok(())
    }
}

const INSERT_CUSTOMER: &str =
    "INSERT INTO customers (id, mobile, id_number, name) VALUES (?1, ?2, ?3, ?4)";
/// The same columns for an import, which writes new customers many to a statement (`many_rows`).
pub(crate) const INSERT_CUSTOMERS: &str =
    "INSERT OR FAIL INTO customers (id, mobile, id_number, name) VALUES ";
pub(crate) const CUSTOMER_COLUMNS: usize = 4;

/// Keys written by one INSERT statement: a million keys cost a million statement executions otherwise, and
/// the per-statement work was half the time of writing them.
const KEYS_PER_INSERT: usize = 128;

/// `customer_keys`' columns, written many to a statement (`many_rows`).
const INSERT_KEYS: &str = "INSERT OR FAIL INTO customer_keys (kind, value, customer_id) VALUES ";

/// The keys `finish` writes, gathered for one statement: their texts side by side in one buffer, bound as
/// borrowed text. A million keys written one `String` each, bound through `ToSql`, spent a tenth of the time
/// of writing them on the allocations and the binding — time the import waits for at its end, with nothing
/// else running.
struct KeyRows<'c> {
    insert: ManyRows<'c>,
    text: String,
    /// Each key's kind, where its text ends in `text`, and its customer.
    keys: Vec<(KeyKind, usize, i64)>,
}

impl<'c> KeyRows<'c> {
    fn new(conn: &'c Connection) -> Result<Self> {
        Ok(KeyRows {
            insert: ManyRows::with_rows(conn, INSERT_KEYS, 3, KEYS_PER_INSERT)?,
            text: String::with_capacity(KEYS_PER_INSERT * 18),
            keys: Vec::with_capacity(KEYS_PER_INSERT),
        })
    }

    fn add(&mut self, kind: KeyKind, key: u64, customer: i64) -> Result<()> {
        push_key_text(kind, key, &mut self.text);
        self.keys.push((kind, self.text.len(), customer));
        if self.keys.len() == KEYS_PER_INSERT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let mut values = Vec::with_capacity(self.keys.len() * 3);
        let mut start = 0;
        for (kind, end, customer) in &self.keys {
            values.extend([
                ValueRef::Text(kind.id().as_bytes()),
                ValueRef::Text(&self.text.as_bytes()[start..*end]),
                ValueRef::Integer(*customer),
            ]);
            start = *end;
        }
        self.insert.insert(&values)?;
        self.text.clear();
        self.keys.clear();
        Ok(())
    }
}

/// The outcome of linking one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub customer_id: i64,
    /// True when the customer was created for this record.
    pub new_customer: bool,
    /// Whether the record's mobile / ID number is new for the customer and must be stored with it (a new
    /// customer's keys, or a key an existing customer did not have yet).
    pub write_mobile: bool,
    pub write_id_number: bool,
}

/// Writes what `CustomerLinker::decide` decided, with statements prepared once.
#[derive(Debug)]
pub struct CustomerWriter<'c> {
    insert: rusqlite::Statement<'c>,
    set_mobile: rusqlite::Statement<'c>,
    set_id_number: rusqlite::Statement<'c>,
}

impl<'c> CustomerWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<CustomerWriter<'c>> {
        Ok(CustomerWriter {
            insert: conn.prepare(INSERT_CUSTOMER)?,
            set_mobile: conn
                .prepare("UPDATE customers SET mobile = ?2 WHERE id = ?1 AND mobile IS NULL")?,
            set_id_number: conn.prepare(
                "UPDATE customers SET id_number = ?2 WHERE id = ?1 AND id_number IS NULL",
            )?,
        })
    }

    /// Stores the customer of a record linked with these same values.
    pub fn apply(
        &mut self,
        link: &Link,
        mobile: Option<&str>,
        id_number: Option<&str>,
        name: Option<&str>,
    ) -> Result<()> {
        let mobile = mobile.filter(|_| link.write_mobile);
        let id_number = id_number.filter(|_| link.write_id_number);
        if link.new_customer {
            self.insert
                .execute(params![link.customer_id, mobile, id_number, name])?;
            return Ok(());
        }
        if mobile.is_some() {
            self.set_mobile.execute(params![link.customer_id, mobile])?;
        }
        if id_number.is_some() {
            self.set_id_number
                .execute(params![link.customer_id, id_number])?;
        }
        Ok(())
    }
}

/// Mobile number → customer, each pair packed into one 64-bit word: the number (below 2^35) above the
/// customer id (below 2^29). A five-million-row station has about as many numbers; as a map of two 64-bit
/// words each they took 136 MB, and 204 MB while the table grew — most of an import's memory. Ids too large to
/// pack (half a billion customers) go to an ordinary map.
#[derive(Debug, Default)]
struct MobileIndex {
    packed: hashbrown::HashTable<u64>,
    large_ids: HashMap<u64, i64>,
}

impl MobileIndex {
    const ID_BITS: u32 = 29;
    const ID_MASK: u64 = (1 << Self::ID_BITS) - 1;

    fn hash(mobile: u64) -> u64 {
        FxBuildHasher.hash_one(mobile)
    }

    /// `mobile` above `customer` in one word, when both fit: mobile keys are 11 digits (below 2^35), so the
    /// shifted number never loses a bit. Words sort by number.
    fn pack(mobile: u64, customer: i64) -> Option<u64> {
        ((0..=Self::ID_MASK as i64).contains(&customer) && mobile < (1 << (64 - Self::ID_BITS)))
            .then_some((mobile << Self::ID_BITS) | customer as u64)
    }

    fn unpack(word: u64) -> (u64, i64) {
        (word >> Self::ID_BITS, (word & Self::ID_MASK) as i64)
    }

    fn get(&self, mobile: u64) -> Option<i64> {
        self.packed
            .find(Self::hash(mobile), |w| w >> Self::ID_BITS == mobile)
            .map(|w| Self::unpack(*w).1)
            .or_else(|| self.large_ids.get(&mobile).copied())
    }

    /// Links `mobile` to `customer`; the linker only adds numbers it does not know yet.
    fn insert(&mut self, mobile: u64, customer: i64) {
        debug_assert!(self.get(mobile).is_none());
        match Self::pack(mobile, customer) {
            Some(word) => {
                self.packed
                    .insert_unique(Self::hash(mobile), word, |w| Self::hash(w >> Self::ID_BITS));
            }
            None => {
                self.large_ids.insert(mobile, customer);
            }
        }
    }
}

/// The mobile numbers an import added, with their customers: packed like [`MobileIndex`]'s words, the rare
/// pair that does not fit apart.
#[derive(Debug, Default)]
struct NewMobiles {
    packed: Vec<u64>,
    large: Vec<(u64, i64)>,
}

impl NewMobiles {
    fn push(&mut self, mobile: u64, customer: i64) {
        match MobileIndex::pack(mobile, customer) {
            Some(word) => self.packed.push(word),
            None => self.large.push((mobile, customer)),
        }
    }

    /// Every (number, customer), by number (the rare unpackable pairs after the rest: out of order only
    /// costs their insertion a seek).
    fn into_sorted(mut self) -> impl Iterator<Item = (u64, i64)> {
        self.packed.sort_unstable();
        self.large.sort_unstable();
        self.packed
            .into_iter()
            .map(MobileIndex::unpack)
            .chain(self.large)
    }
}

/// A mainland mobile number (11 digits) as an integer key.
fn mobile_key(mobile: &str) -> Option<u64> {
    if mobile.len() == 11 && mobile.bytes().all(|b| b.is_ascii_digit()) {
        mobile.parse().ok()
    } else {
        None
    }
}

/// An ID number (18 characters, the last a digit or X; or 15 digits) as an integer key. The 15-digit
/// form is kept apart from the 18-digit one by a high tag bit.
fn id_number_key(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    match b.len() {
        18 if b[..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X') =>
        {
            let body: u64 = id[..17].parse().ok()?;
            let check = if b[17] == b'X' {
                10
            } else {
                u64::from(b[17] - b'0')
            };
            Some(body * 11 + check)
        }
        15 if b.iter().all(u8::is_ascii_digit) => Some((1 << 63) | id.parse::<u64>().ok()?),
        _ => None,
    }
}

/// Appends the text a key stands for to `out`: the 11-digit mobile number, or the ID number an
/// [`id_number_key`] came from (the key holds all of it).
fn push_key_text(kind: KeyKind, key: u64, out: &mut String) {
    match kind {
        KeyKind::Mobile => push_digits(key, 11, out),
        KeyKind::IdNumber if key & (1 << 63) != 0 => push_digits(key & !(1 << 63), 15, out),
        KeyKind::IdNumber => {
            push_digits(key / 11, 17, out);
            match key % 11 {
                10 => out.push('X'),
                check => push_digits(check, 1, out),
            }
        }
    }
}

/// Appends `n` in exactly `width` decimal digits, zeros first (a wider `n` keeps only its last `width`
/// digits; keys never are). By hand rather than `write!("{n:0width$}")`: the formatter's padding was a
/// twentieth of writing a million keys at an import's end, which nothing else runs beside.
fn push_digits(n: u64, width: usize, out: &mut String) {
    let mut digits = [0; 20];
    crate::detect::chars::write_digits(&mut digits[..width], n);
    // ASCII digits: always UTF-8.
    out.push_str(std::str::from_utf8(&digits[..width]).unwrap_or_default());
}

impl CustomerLinker {
    /// Loads the keys of the customers already in the case.
    pub fn load(conn: &Connection) -> Result<CustomerLinker> {
        Self::load_within(conn, keys_in_memory())
    }

    /// [`CustomerLinker::load`] holding at most `budget` keys in memory.
    fn load_within(conn: &Connection, budget: usize) -> Result<CustomerLinker> {
        let mut linker = CustomerLinker {
            by_mobile: MobileIndex::default(),
            by_id_number: HashMap::default(),
            next_id: 1,
            created: 0,
            new_mobiles: NewMobiles::default(),
            new_id_numbers: Vec::new(),
            in_memory: 0,
            budget,
            overflow: None,
            case_path: conn.path().map(PathBuf::from),
        };
        ScratchDb::remove_left(linker.case_path.as_deref(), KeyOverflow::SUFFIX);
        linker.next_id =
            conn.query_row("SELECT COALESCE(max(id), 0) + 1 FROM customers", [], |r| {
                r.get(0)
            })?;
        // Every key of every customer: a customer's second phone (learnt when a row had its ID number and
        // another phone) is only in `customer_keys`, not in `customers`, and must link the next import too.
        let mut stmt = conn.prepare("SELECT kind, value, customer_id FROM customer_keys")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (kind, value, id) = (r.get_ref(0)?, r.get_ref(1)?, r.get::<_, i64>(2)?);
            let value = value.as_str().unwrap_or_default();
            let key = match kind.as_str().unwrap_or_default() {
                "mobile" => mobile_key(value).map(|k| (KeyKind::Mobile, k)),
                "id_card" => id_number_key(value).map(|k| (KeyKind::IdNumber, k)),
                _ => None,
            };
            if let Some((kind, key)) = key {
                linker.remember(kind, key, id, false)?;
            }
        }
        Ok(linker)
    }

    /// The customer `key` belongs to, if any.
    fn customer_of(&self, kind: KeyKind, key: u64) -> Result<Option<i64>> {
        let in_memory = match kind {
            KeyKind::Mobile => self.by_mobile.get(key),
            KeyKind::IdNumber => self.by_id_number.get(&key).copied(),
        };
        match (in_memory, &self.overflow) {
            (None, Some(overflow)) => overflow.get(kind, key),
            (found, _) => Ok(found),
        }
    }

    /// Links `key`, not known yet, to `customer`: in memory while the budget allows, else in the overflow.
    /// `added`: learnt now, to be written to `customer_keys` by `finish` (not loaded from it).
    fn remember(&mut self, kind: KeyKind, key: u64, customer: i64, added: bool) -> Result<()> {
        if self.in_memory < self.budget {
            self.in_memory += 1;
            match kind {
                KeyKind::Mobile => {
                    self.by_mobile.insert(key, customer);
                    if added {
                        self.new_mobiles.push(key, customer);
                    }
                }
                KeyKind::IdNumber => {
                    self.by_id_number.insert(key, customer);
                    if added {
                        self.new_id_numbers.push(key);
                    }
                }
            }
            return Ok(());
        }
        let overflow = match &mut self.overflow {
            Some(overflow) => overflow,
            None => self
                .overflow
                .insert(KeyOverflow::create(self.case_path.as_deref())?),
        };
        overflow.insert(kind, key, customer, added)
    }

    /// Decides which customer a record with these normalised keys belongs to, creating the customer when
    /// neither key is known, and what must be written for it (`CustomerWriter::apply`). A record with no key
    /// at all becomes a customer of its own: linking it by name alone would merge different people. No
    /// access to the case: an import decides on its linking thread, off the thread that writes (past the
    /// budget, the linker's own scratch database is asked).
    pub fn decide(&mut self, mobile: Option<&str>, id_number: Option<&str>) -> Result<Link> {
        let mk = mobile.and_then(mobile_key);
        let ik = id_number.and_then(id_number_key);
        let by_id = match ik {
            Some(k) => self.customer_of(KeyKind::IdNumber, k)?,
            None => None,
        };
        let by_mobile = match mk {
            Some(k) => self.customer_of(KeyKind::Mobile, k)?,
            None => None,
        };
        if let Some(customer_id) = by_id.or(by_mobile) {
            // Learn the key the customer did not have yet, so later rows with only that key link here too.
            let learn_mobile = matches!((mk, by_mobile), (Some(_), None));
            let learn_id_number = matches!((ik, by_id), (Some(_), None));
            if let (true, Some(k)) = (learn_mobile, mk) {
                self.remember(KeyKind::Mobile, k, customer_id, true)?;
            }
            if let (true, Some(k)) = (learn_id_number, ik) {
                self.remember(KeyKind::IdNumber, k, customer_id, true)?;
            }
            return Ok(Link {
                customer_id,
                new_customer: false,
                write_mobile: learn_mobile,
                write_id_number: learn_id_number,
            });
        }
        let customer_id = self.next_id;
        self.next_id += 1;
        self.created += 1;
        if let Some(k) = mk {
            self.remember(KeyKind::Mobile, k, customer_id, true)?;
        }
        if let Some(k) = ik {
            self.remember(KeyKind::IdNumber, k, customer_id, true)?;
        }
        Ok(Link {
            customer_id,
            new_customer: true,
            write_mobile: mk.is_some(),
            write_id_number: ik.is_some(),
        })
    }

    /// Writes the keys added since `load` to `customer_keys`, in key order, and returns how many customers
    /// were created. Must run in the same transaction as the links, before anything looks customers up by key.
    pub fn finish(mut self, conn: &Connection) -> Result<u64> {
        // A mobile key is the 11-digit number itself, so numeric order is the text order of the stored value;
        // an 18-character ID number's key too (body, then the check digit with X after 9). The rare 15-digit
        // numbers sort after them, and the overflow's keys after those in memory: out of order only costs
        // their insertion a seek.
        self.new_id_numbers.sort_unstable();
        // The index is no longer asked (the new numbers carry their customers): its memory goes first.
        drop(std::mem::take(&mut self.by_mobile));
        let mut keys = KeyRows::new(conn)?;
        for key in &self.new_id_numbers {
            keys.add(KeyKind::IdNumber, *key, self.by_id_number[key])?;
        }
        if let Some(overflow) = &self.overflow {
            overflow.for_each_added(KeyKind::IdNumber, |key, customer| {
                keys.add(KeyKind::IdNumber, key, customer)
            })?;
        }
        for (key, customer) in std::mem::take(&mut self.new_mobiles).into_sorted() {
            keys.add(KeyKind::Mobile, key, customer)?;
        }
        if let Some(overflow) = &self.overflow {
            overflow.for_each_added(KeyKind::Mobile, |key, customer| {
                keys.add(KeyKind::Mobile, key, customer)
            })?;
        }
        keys.flush()?;
        Ok(self.created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decides and writes at once, as an import does on its two threads.
    fn link(
        l: &mut CustomerLinker,
        c: &Connection,
        mobile: Option<&str>,
        id_number: Option<&str>,
        name: Option<&str>,
    ) -> Result<Link> {
        let link = l.decide(mobile, id_number)?;
        CustomerWriter::new(c)?.apply(&link, mobile, id_number, name)?;
        Ok(link)
    }

    /// Every key in `customer_keys`: (kind, value, customer), by kind and value.
    fn case_keys(c: &Connection) -> Vec<(String, String, i64)> {
        c.prepare("SELECT kind, value, customer_id FROM customer_keys ORDER BY kind, value")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn conn() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrations()
            .to_latest(&mut c)
            .unwrap();
        c
    }

    #[test]
    fn a_mobile_index_finds_each_number_and_keeps_ids_too_large_to_pack() {
        let mut index = MobileIndex::default();
        let numbers: Vec<u64> = (0..50_000u64).map(|i| 13_000_000_000 + i * 7_919).collect();
        for (i, n) in numbers.iter().enumerate() {
            index.insert(*n, i as i64 + 1);
        }
        index.insert(19_999_999_999, (1 << 29) - 1);
        index.insert(18_888_888_888, 1 << 29);
        index.insert(17_777_777_777, i64::MAX);
        for (i, n) in numbers.iter().enumerate() {
            assert_eq!(index.get(*n), Some(i as i64 + 1));
        }
        assert_eq!(index.get(19_999_999_999), Some((1 << 29) - 1));
        assert_eq!(index.get(18_888_888_888), Some(1 << 29));
        assert_eq!(index.get(17_777_777_777), Some(i64::MAX));
        assert_eq!(index.get(13_000_000_001), None);
        assert_eq!(index.large_ids.len(), 2);
    }

    #[test]
    fn new_numbers_come_back_by_number_with_their_customers() {
        let mut new = NewMobiles::default();
        let huge = (MobileIndex::ID_MASK + 1) as i64;
        for (mobile, customer) in [
            (13_900_000_002, 7),
            (13_800_000_001, MobileIndex::ID_MASK as i64),
            (13_700_000_009, huge),
            (13_600_000_000, 1),
        ] {
            new.push(mobile, customer);
        }
        assert_eq!(new.large, [(13_700_000_009, huge)]);
        assert_eq!(
            new.into_sorted().collect::<Vec<_>>(),
            [
                (13_600_000_000, 1),
                (13_800_000_001, MobileIndex::ID_MASK as i64),
                (13_900_000_002, 7),
                (13_700_000_009, huge),
            ]
        );
    }

    #[test]
    fn keys_are_exact() {
        assert_eq!(mobile_key("13812345678"), Some(13_812_345_678));
        assert_eq!(mobile_key("1381234567"), None);
        assert_eq!(mobile_key("1381234567x"), None);
        let x = id_number_key("11010519491231002X").unwrap();
        let nine = id_number_key("110105194912310029").unwrap();
        assert_ne!(x, nine);
        assert_ne!(
            id_number_key("110105491231002"),
            id_number_key("110105194912310020")
        );
        assert_eq!(id_number_key("11010519491231002x"), None);
        for id in [
            "11010519491231002X",
            "110105194912310029",
            "000000000000000000",
            "99999999999999999X",
            "110105491231002",
            "000000000000001",
        ] {
            let mut text = String::new();
            push_key_text(KeyKind::IdNumber, id_number_key(id).unwrap(), &mut text);
            assert_eq!(text, id);
        }
        for mobile in ["13812345678", "00000000001", "19999999999"] {
            let mut text = String::from("前");
            push_key_text(KeyKind::Mobile, mobile_key(mobile).unwrap(), &mut text);
            assert_eq!(text, format!("前{mobile}"));
        }
    }

    #[test]
    fn links_by_id_then_mobile_and_learns_keys() {
        let c = conn();
        let mut l = CustomerLinker::load(&c).unwrap();
        let a = link(&mut l, &c, Some("13812345678"), None, Some("张三")).unwrap();
        assert!(a.new_customer);
        // Same phone, now with an ID: same customer, and the ID is learnt.
        let b = link(
            &mut l,
            &c,
            Some("13812345678"),
            Some("11010519491231002X"),
            None,
        )
        .unwrap();
        assert_eq!(b.customer_id, a.customer_id);
        assert!(!b.new_customer);
        // Only the ID: still the same customer.
        let d = link(&mut l, &c, None, Some("11010519491231002X"), None).unwrap();
        assert_eq!(d.customer_id, a.customer_id);
        // No key: a customer of its own each time.
        let e = link(&mut l, &c, None, None, Some("张三")).unwrap();
        let f = link(&mut l, &c, None, None, Some("张三")).unwrap();
        assert_ne!(e.customer_id, f.customer_id);
        assert_eq!(l.finish(&c).unwrap(), 3);
        assert_eq!(
            case_keys(&c),
            vec![
                ("id_card".into(), "11010519491231002X".into(), a.customer_id),
                ("mobile".into(), "13812345678".into(), a.customer_id),
            ],
            "each key once, the learnt ID included"
        );
        // A new linker sees what the first wrote.
        let mut l2 = CustomerLinker::load(&c).unwrap();
        let g = link(&mut l2, &c, None, Some("11010519491231002X"), None).unwrap();
        assert_eq!(g.customer_id, a.customer_id);
        let id: String = c
            .query_row(
                "SELECT id_number FROM customers WHERE id = ?1",
                [a.customer_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(id, "11010519491231002X");
    }

    /// A customer met with two phone numbers keeps the first in `customers` and the second only in
    /// `customer_keys`; the next import must still link a row that has only the second.
    #[test]
    fn a_second_phone_learnt_in_one_import_links_in_the_next() {
        let c = conn();
        let mut l = CustomerLinker::load(&c).unwrap();
        let a = link(
            &mut l,
            &c,
            Some("13812345678"),
            Some("11010519491231002X"),
            None,
        )
        .unwrap();
        let b = link(
            &mut l,
            &c,
            Some("13987654321"),
            Some("11010519491231002X"),
            None,
        )
        .unwrap();
        assert_eq!(b.customer_id, a.customer_id);
        l.finish(&c).unwrap();
        let mut l2 = CustomerLinker::load(&c).unwrap();
        let d = link(&mut l2, &c, Some("13987654321"), None, None).unwrap();
        assert_eq!(
            d.customer_id, a.customer_id,
            "the second phone links to its customer"
        );
        assert!(!d.new_customer);
        assert_eq!(l2.finish(&c).unwrap(), 0);
    }
    /// Rows with keys drawn from small pools, so that keys repeat, rows bring a key the customer did not have
    /// yet, and some rows have no key at all.
    fn rows(seed: u64, n: usize) -> Vec<(Option<String>, Option<String>)> {
        let mut x = seed;
        let mut next = move || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        (0..n)
            .map(|_| {
                let mobile = (next() % 4 != 0).then(|| format!("138{:08}", next() % 300));
                let id = (next() % 3 == 0).then(|| match next() % 10 {
                    0 => format!("110105{:09}", next() % 50),
                    _ => format!("11010519800101{:03}X", next() % 150),
                });
                (mobile, id)
            })
            .collect()
    }

    /// Links `rows` with a linker loaded from `c` holding `budget` keys in memory, writes its keys, and
    /// returns the links, every key of the case, and whether keys went past the budget.
    fn link_all(
        c: &Connection,
        budget: usize,
        rows: &[(Option<String>, Option<String>)],
    ) -> (Vec<Link>, Vec<(String, String, i64)>, bool) {
        let mut l = CustomerLinker::load_within(c, budget).unwrap();
        let links = rows
            .iter()
            .map(|(m, i)| link(&mut l, c, m.as_deref(), i.as_deref(), None).unwrap())
            .collect();
        let overflowed = l.overflow.is_some();
        l.finish(c).unwrap();
        (links, case_keys(c), overflowed)
    }

    #[test]
    fn keys_past_the_budget_link_exactly_as_keys_in_memory() {
        let (first, second) = (rows(7, 3_000), rows(8, 1_000));
        let everything = conn();
        let (links, keys, _) = link_all(&everything, usize::MAX, &first);
        let (links_after, keys_after, _) = link_all(&everything, usize::MAX, &second);
        // About 500 different keys: every budget below is passed.
        assert!(keys.len() > 400, "{} keys", keys.len());
        assert!(links.iter().any(|l| !l.new_customer && l.write_id_number));
        assert!(links_after.iter().any(|l| !l.new_customer));
        assert!(keys.iter().any(|k| k.1.len() == 15));
        for budget in [0, 1, 40, 300] {
            let c = conn();
            assert_eq!(
                link_all(&c, budget, &first),
                (links.clone(), keys.clone(), true),
                "budget {budget}"
            );
            // The next import loads the keys past its budget into its overflow (not written again).
            assert_eq!(
                link_all(&c, budget, &second),
                (links_after.clone(), keys_after.clone(), true),
                "budget {budget}, second import"
            );
        }
    }
}
