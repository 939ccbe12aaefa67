//! What the overview (`classification::summary`) counts from every record: the records per kind of
//! personal information, and per customer the categories and sensitivity of the kinds their records carry and
//! whether one of them shows a child under 14.
//!
//! Counting it takes a pass over every record (five million records: 3 s of a case's first opening). So the
//! tally is kept in the case beside the overview, and an import adds its own records to it as it writes them
//! — in the import's transaction, so a discarded import takes its part back with it — and the first opening
//! after an import reads the kept tally instead of every record. Any other change to the records drops it
//! (`store::write`), and the next opening counts again.

use std::sync::LazyLock;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::detect::category::{Category, Sensitivity};
use crate::field::FieldType;
use crate::ids::ById;
use crate::records::pii;
use crate::store::read_details;
use crate::Result;

/// The kind under which the tally is kept (`derived_cache`).
pub(crate) const TALLY_KIND: &str = crate::store::TALLY_KIND;

/// What the overview counts a customer by, one bit each: a byte per customer (the union of their records'
/// 31-bit masks and a flag for minors took five: 25 MB at five million customers, in every import and every
/// first opening).
pub(crate) mod class {
    pub(crate) const BASIC: u8 = 1;
    pub(crate) const TRANSACTION: u8 = 1 << 1;
    pub(crate) const PREFERENCE: u8 = 1 << 2;
    /// A sensitive kind of information (PIPL Art. 28) in one of their records.
    pub(crate) const SENSITIVE: u8 = 1 << 3;
    /// Under 14 by an ID number or a birthday in one of their records.
    pub(crate) const MINOR: u8 = 1 << 4;
}

/// The kinds of information (`FieldType::bit`s) that put a customer in each class.
static CLASS_FIELDS: LazyLock<[(u32, u8); 4]> = LazyLock::new(|| {
    let category = |c: Category| FieldType::bits_where(|f| Category::of(f) == c);
    [
        (category(Category::Basic), class::BASIC),
        (category(Category::Transaction), class::TRANSACTION),
        (category(Category::Preference), class::PREFERENCE),
        (
            FieldType::bits_where(|f| Sensitivity::of(f) == Sensitivity::Sensitive),
            class::SENSITIVE,
        ),
    ]
});

/// The classes a record's `pii_mask` puts its customer in.
pub(crate) fn classes_of(mask: u32) -> u8 {
    CLASS_FIELDS
        .iter()
        .filter(|(fields, _)| mask & fields != 0)
        .fold(0, |c, (_, bit)| c | bit)
}

/// What the pass over the records gives the overview.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RecordTally {
    pub(crate) records: u64,
    /// Records carrying each field, indexed by the position of its bit ([`crate::records::pii::slot`]).
    pub(crate) records_per_field: [u64; pii::KINDS],
    /// Per customer, the [`class`] bits of their records.
    pub(crate) classes: ById<u8>,
}

impl RecordTally {
    /// An empty tally with room for customers up to `last_customer`.
    pub(crate) fn up_to(last_customer: i64) -> RecordTally {
        RecordTally {
            records: 0,
            records_per_field: [0; pii::KINDS],
            classes: ById::up_to(last_customer),
        }
    }

    /// Whether a record of `customer` can still change who is a minor (the pass over the records reads a
    /// record's ID number and birthday only then).
    pub(crate) fn needs_minor(&self, customer: Option<i64>) -> bool {
        customer.is_some_and(|c| self.classes.get(c) & class::MINOR == 0)
    }

    /// Counts one record: its customer (if it has one), its `pii_mask`, and whether it shows a child under 14.
    pub(crate) fn add(&mut self, customer: Option<i64>, mask: u32, minor: bool) {
        self.records += 1;
        let mut bits = mask;
        while bits != 0 {
            if let Some(n) = self
                .records_per_field
                .get_mut(bits.trailing_zeros() as usize)
            {
                *n += 1;
            }
            bits &= bits - 1;
        }
        let Some(c) = customer else { return };
        let classes = classes_of(mask) | if minor { class::MINOR } else { 0 };
        if classes != 0 {
            self.classes.update(c, |had| had | classes);
        }
    }

    /// Adds the tally of other records (the other half of the pass).
    pub(crate) fn merge(&mut self, other: RecordTally) {
        self.records += other.records;
        for (mine, theirs) in self
            .records_per_field
            .iter_mut()
            .zip(other.records_per_field)
        {
            *mine += theirs;
        }
        self.classes.merge(other.classes, |a, b| a | b);
    }

    /// The tally as kept in the case: customers' classes as runs of equal values, in varints (a million
    /// customers with the same classes take a few bytes), written straight from the vector.
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>> {
        let kept = (
            FORMAT,
            self.records,
            &self.records_per_field[..],
            ClassRuns(&self.classes),
        );
        postcard::to_allocvec(&kept)
            .map_err(|e| crate::Error::Internal(format!("keeping the overview's tally: {e}")))
    }

    /// Reads a kept tally back; `None` for anything not written by [`RecordTally::to_bytes`] of this format, or
    /// naming customer ids above `last_customer` (the overview then counts every record again).
    pub(crate) fn from_bytes(bytes: &[u8], last_customer: i64) -> Option<RecordTally> {
        let ids = usize::try_from(last_customer.max(0)).ok()? + 1;
        let mut de = postcard::Deserializer::from_bytes(bytes);
        let tally = Deserializer::deserialize_tuple(&mut de, 4, KeptTally { ids }).ok()?;
        de.finalize().ok().filter(|rest| rest.is_empty())?;
        Some(tally)
    }
}

/// The version of the kept form; another one is not read (and counted again). 2: classes per customer
/// (1 kept masks and minors apart).
const FORMAT: u8 = 2;

/// Customers' classes as (classes, how many ids in a row have them), from id 0 to the vector's end.
struct ClassRuns<'a>(&'a ById<u8>);

impl ClassRuns<'_> {
    /// Calls `f` with each run in order, until it fails.
    fn each<E>(
        &self,
        mut f: impl FnMut(u8, u64) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut run: Option<(u8, u64)> = None;
        for classes in (0..self.0.end()).map(|id| self.0.get(id)) {
            run = match run {
                Some((c, n)) if c == classes => Some((c, n + 1)),
                Some((c, n)) => {
                    f(c, n)?;
                    Some((classes, 1))
                }
                None => Some((classes, 1)),
            };
        }
        run.map_or(Ok(()), |(c, n)| f(c, n))
    }
}

impl Serialize for ClassRuns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut runs = 0usize;
        self.each(|_, _| -> std::result::Result<(), S::Error> {
            runs += 1;
            Ok(())
        })?;
        let mut seq = s.serialize_seq(Some(runs))?;
        self.each(|c, n| seq.serialize_element(&(c, n)))?;
        seq.end()
    }
}

/// Reads the kept form into a tally, never making room for more than `ids` customer ids.
struct KeptTally {
    ids: usize,
}

impl<'de> Visitor<'de> for KeptTally {
    type Value = RecordTally;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the overview's kept tally")
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<RecordTally, A::Error> {
        let missing = || A::Error::custom("the tally ends early");
        let format: u8 = seq.next_element()?.ok_or_else(missing)?;
        if format != FORMAT {
            return Err(A::Error::custom("another format"));
        }
        let records: u64 = seq.next_element()?.ok_or_else(missing)?;
        let per_field: Vec<u64> = seq.next_element()?.ok_or_else(missing)?;
        let records_per_field = per_field
            .try_into()
            .map_err(|_| A::Error::custom("another list of fields"))?;
        let classes = seq
            .next_element_seed(ReadClasses { ids: self.ids })?
            .ok_or_else(missing)?;
        Ok(RecordTally {
            records,
            records_per_field,
            classes: ById::from_vec(classes),
        })
    }
}

/// The classes' runs, expanded as they are read.
struct ReadClasses {
    ids: usize,
}

impl<'de> DeserializeSeed<'de> for ReadClasses {
    type Value = Vec<u8>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<u8>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ReadClasses {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("runs of classes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<u8>, A::Error> {
        let mut classes = Vec::new();
        while let Some((c, run)) = seq.next_element::<(u8, u64)>()? {
            let run = usize::try_from(run)
                .ok()
                .filter(|&run| run <= self.ids - classes.len())
                .ok_or_else(|| A::Error::custom("more customers than the case has"))?;
            classes.extend(std::iter::repeat_n(c, run));
        }
        Ok(classes)
    }
}

/// The day minors' ages are counted on: the handover date, or today while none is set.
pub(crate) fn reference_date(conn: &Connection) -> Result<NaiveDate> {
    Ok(read_details(conn)?
        .handover_date
        .unwrap_or_else(|| chrono::Local::now().date_naive()))
}

/// The key the overview and its tally are kept under: the day ages are counted on, and the build (another
/// version of the app may count differently).
pub(crate) fn kept_key(on: NaiveDate) -> String {
    format!("{}|{on}", env!("CARGO_PKG_VERSION"))
}

/// The tally kept under `key`, read on `conn` inside the import's transaction (elsewhere through
/// `Case::derived` and [`from_kept`]).
pub(crate) fn read_kept(conn: &Connection, key: &str) -> Result<Option<RecordTally>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM derived_cache WHERE kind = ?1 AND key = ?2",
            [TALLY_KIND, key],
            |r| r.get(0),
        )
        .optional()?;
    match bytes {
        Some(b) => from_kept(conn, &b),
        None => Ok(None),
    }
}

/// A kept tally's bytes read back for the case on `conn` (never naming more customers than it has).
pub(crate) fn from_kept(conn: &Connection, bytes: &[u8]) -> Result<Option<RecordTally>> {
    let last_customer: Option<i64> =
        conn.query_row("SELECT max(id) FROM customers", [], |r| r.get(0))?;
    Ok(RecordTally::from_bytes(bytes, last_customer.unwrap_or(0)))
}

/// Keeps `tally` under `key` on `conn`, in the caller's transaction.
pub(crate) fn keep(conn: &Connection, key: &str, tally: &RecordTally) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO derived_cache (kind, key, value) VALUES (?1, ?2, ?3)",
        rusqlite::params![TALLY_KIND, key, tally.to_bytes()?],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_takes_the_classes_of_their_records_kinds() {
        let (name, balance, id_card) = (
            FieldType::Name.bit(),
            FieldType::PrepaidBalance.bit(),
            FieldType::IdCard.bit(),
        );
        assert_eq!(classes_of(0), 0);
        assert_eq!(classes_of(name), class::BASIC);
        assert_eq!(
            classes_of(name | balance) & (class::BASIC | class::TRANSACTION),
            class::BASIC | class::TRANSACTION
        );
        assert_ne!(classes_of(id_card) & class::SENSITIVE, 0);
        let mut t = RecordTally::up_to(3);
        t.add(Some(2), name, false);
        t.add(Some(2), balance, false);
        t.add(Some(3), 0, true);
        assert_eq!(t.classes.get(2), classes_of(name | balance));
        assert_eq!(t.classes.get(3), class::MINOR);
        assert!(t.needs_minor(Some(2)) && !t.needs_minor(Some(3)) && !t.needs_minor(None));
        assert_eq!(t.records, 3);
    }

    #[test]
    fn a_kept_tally_reads_back_the_same() {
        let (name, mobile, balance) = (
            FieldType::Name.bit(),
            FieldType::Mobile.bit(),
            FieldType::PrepaidBalance.bit(),
        );
        let mut t = RecordTally::up_to(7);
        t.add(Some(1), name | mobile, false);
        t.add(Some(2), name | mobile, true);
        t.add(Some(3), name | mobile, false);
        t.add(None, balance, true);
        t.add(Some(7), name, false);
        t.add(Some(7), balance, true);
        t.add(Some(3), 0, true);
        let back = RecordTally::from_bytes(&t.to_bytes().unwrap(), 7).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.records, 7);
        assert_eq!(
            (
                back.classes.get(7),
                back.classes.get(3),
                back.classes.get(1)
            ),
            (
                classes_of(name | balance) | class::MINOR,
                classes_of(name) | class::MINOR,
                classes_of(name)
            )
        );
        // Not for a case with fewer customers than the tally names.
        assert_eq!(RecordTally::from_bytes(&t.to_bytes().unwrap(), 6), None);
        // The same classes in a row take one run each.
        let mut many = RecordTally::up_to(100_000);
        for c in 1..=100_000 {
            many.add(Some(c), name | balance, c == 77_777);
        }
        let bytes = many.to_bytes().unwrap();
        assert!(bytes.len() < 64, "{}", bytes.len());
        assert_eq!(RecordTally::from_bytes(&bytes, 100_000), Some(many));
    }

    #[test]
    fn anything_else_is_not_a_tally() {
        let fields = vec![0u64; pii::KINDS];
        let kept = |format: u8, runs: &[(u8, u64)]| {
            postcard::to_allocvec(&(format, 1u64, &fields, runs)).unwrap()
        };
        assert!(RecordTally::from_bytes(&kept(FORMAT, &[(1, 3)]), 9).is_some());
        assert_eq!(RecordTally::from_bytes(b"", 9), None);
        assert_eq!(RecordTally::from_bytes(b"{\"records\": 3}", 9), None);
        assert_eq!(
            RecordTally::from_bytes(&kept(1, &[(1, 3)]), 9),
            None,
            "another format (the first kept masks and minors apart)"
        );
        assert_eq!(
            RecordTally::from_bytes(&kept(FORMAT, &[(1, u64::MAX), (2, 2)]), 9),
            None,
            "more customers than the case has"
        );
        assert_eq!(
            RecordTally::from_bytes(&kept(FORMAT, &[(1, 8), (2, 3)]), 9),
            None,
            "more customers than the case has, in a second run"
        );
        let mut longer = kept(FORMAT, &[(1, 3)]);
        longer.push(0);
        assert_eq!(RecordTally::from_bytes(&longer, 9), None, "a byte after it");
        let short = kept(FORMAT, &[(1, 3)]);
        assert_eq!(
            RecordTally::from_bytes(&short[..short.len() - 1], 9),
            None,
            "cut short"
        );
    }
}
