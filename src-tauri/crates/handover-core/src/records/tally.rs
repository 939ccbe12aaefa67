//! What the overview (`classification::summary`) counts from every record: the records per kind of
//! personal information, and per customer the kinds their records carry and whether one of them shows a
//! child under 14.
//!
//! Counting it takes a pass over every record (five million records: 3 s of a case's first opening). So the
//! tally is kept in the case beside the overview, and an import adds its own records to it as it writes them
//! — in the import's transaction, so a discarded import takes its part back with it — and the first opening
//! after an import reads the kept tally instead of every record. Any other change to the records drops it
//! (`store::write`), and the next opening counts again.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::ids::ById;
use crate::records::pii;
use crate::store::read_details;
use crate::Result;

/// The kind under which the tally is kept (`derived_cache`).
pub(crate) const TALLY_KIND: &str = crate::store::TALLY_KIND;

/// What the pass over the records gives the overview.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RecordTally {
    pub(crate) records: u64,
    /// Records carrying each field, indexed by the position of its bit ([`crate::records::pii::slot`]).
    pub(crate) records_per_field: [u64; pii::KINDS],
    /// Per customer, the union of their records' `pii_mask`.
    pub(crate) masks: ById<u32>,
    /// Customers under 14 by an ID number or a birthday in one of their records.
    pub(crate) minors: ById<bool>,
}

impl RecordTally {
    /// An empty tally with room for customers up to `last_customer`.
    pub(crate) fn up_to(last_customer: i64) -> RecordTally {
        RecordTally {
            records: 0,
            records_per_field: [0; pii::KINDS],
            masks: ById::up_to(last_customer),
            minors: ById::up_to(last_customer),
        }
    }

    /// Whether a record of `customer` can still change who is a minor (the pass over the records reads a
    /// record's ID number and birthday only then).
    pub(crate) fn needs_minor(&self, customer: Option<i64>) -> bool {
        customer.is_some_and(|c| !self.minors.get(c))
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
        if mask != 0 {
            self.masks.update(c, |m| m | mask);
        }
        if minor {
            self.minors.set(c, true);
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
        self.masks.merge(other.masks, |a, b| a | b);
        self.minors.merge(other.minors, |a, b| a || b);
    }

    /// The tally as kept in the case: customers' masks as runs of equal values and minors as the gaps between
    /// their ids, in varints (a million customers with the same kinds of information take a few bytes),
    /// written straight from the vectors (a list of the runs first took 16 bytes a customer at five million).
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>> {
        // Over every id either vector reached: a customer whose records carry nothing can still be a minor.
        let end = self.masks.end().max(self.minors.end());
        let kept = (
            FORMAT,
            self.records,
            &self.records_per_field[..],
            MaskRuns(&self.masks, end),
            MinorGaps(&self.minors, end),
        );
        postcard::to_allocvec(&kept)
            .map_err(|e| crate::Error::Internal(format!("keeping the overview's tally: {e}")))
    }

    /// Reads a kept tally back; `None` for anything not written by [`RecordTally::to_bytes`] of this format, or
    /// naming customer ids above `last_customer` (the overview then counts every record again).
    pub(crate) fn from_bytes(bytes: &[u8], last_customer: i64) -> Option<RecordTally> {
        let ids = usize::try_from(last_customer.max(0)).ok()? + 1;
        let mut de = postcard::Deserializer::from_bytes(bytes);
        let tally = Deserializer::deserialize_tuple(&mut de, 5, KeptTally { ids }).ok()?;
        de.finalize().ok().filter(|rest| rest.is_empty())?;
        Some(tally)
    }
}

/// The version of the kept form; another one is not read (and counted again).
const FORMAT: u8 = 1;

/// Customers' masks as (mask, how many ids in a row have it), from id 0 up to `.1`.
struct MaskRuns<'a>(&'a ById<u32>, i64);

impl MaskRuns<'_> {
    /// Calls `f` with each run in order, until it fails.
    fn each<E>(
        &self,
        mut f: impl FnMut(u32, u64) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut run: Option<(u32, u64)> = None;
        for mask in (0..self.1).map(|id| self.0.get(id)) {
            run = match run {
                Some((m, n)) if m == mask => Some((m, n + 1)),
                Some((m, n)) => {
                    f(m, n)?;
                    Some((mask, 1))
                }
                None => Some((mask, 1)),
            };
        }
        run.map_or(Ok(()), |(m, n)| f(m, n))
    }
}

impl Serialize for MaskRuns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut runs = 0usize;
        self.each(|_, _| -> std::result::Result<(), S::Error> {
            runs += 1;
            Ok(())
        })?;
        let mut seq = s.serialize_seq(Some(runs))?;
        self.each(|m, n| seq.serialize_element(&(m, n)))?;
        seq.end()
    }
}

/// Ids of the customers under 14 up to `.1`, each as its distance from the one before (from 0).
struct MinorGaps<'a>(&'a ById<bool>, i64);

impl Serialize for MinorGaps<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let minors = || (0..self.1).filter(|&id| self.0.get(id));
        let mut seq = s.serialize_seq(Some(minors().count()))?;
        let mut previous = 0;
        for id in minors() {
            seq.serialize_element(&((id - previous) as u64))?;
            previous = id;
        }
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
        let masks = seq
            .next_element_seed(ReadMasks { ids: self.ids })?
            .ok_or_else(missing)?;
        let minors = seq
            .next_element_seed(ReadMinors { ids: masks.len() })?
            .ok_or_else(missing)?;
        Ok(RecordTally {
            records,
            records_per_field,
            masks: ById::from_vec(masks),
            minors: ById::from_vec(minors),
        })
    }
}

/// The masks' runs, expanded as they are read.
struct ReadMasks {
    ids: usize,
}

impl<'de> DeserializeSeed<'de> for ReadMasks {
    type Value = Vec<u32>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<u32>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ReadMasks {
    type Value = Vec<u32>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("runs of masks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<u32>, A::Error> {
        let mut masks = Vec::new();
        while let Some((mask, run)) = seq.next_element::<(u32, u64)>()? {
            let run = usize::try_from(run)
                .ok()
                .filter(|&run| run <= self.ids - masks.len())
                .ok_or_else(|| A::Error::custom("more customers than the case has"))?;
            masks.extend(std::iter::repeat_n(mask, run));
        }
        Ok(masks)
    }
}

/// The minors' gaps, set in a vector as they are read.
struct ReadMinors {
    ids: usize,
}

impl<'de> DeserializeSeed<'de> for ReadMinors {
    type Value = Vec<bool>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<bool>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ReadMinors {
    type Value = Vec<bool>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the ids of minors")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<bool>, A::Error> {
        let mut minors = vec![false; self.ids];
        let mut id = 0usize;
        while let Some(gap) = seq.next_element::<u64>()? {
            id = usize::try_from(gap)
                .ok()
                .and_then(|gap| id.checked_add(gap))
                .filter(|&id| id < self.ids)
                .ok_or_else(|| A::Error::custom("a minor beyond the customers"))?;
            minors[id] = true;
        }
        Ok(minors)
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
    fn a_kept_tally_reads_back_the_same() {
        let mut t = RecordTally::up_to(7);
        t.add(Some(1), 0b11, false);
        t.add(Some(2), 0b11, true);
        t.add(Some(3), 0b11, false);
        t.add(None, 0b100, true);
        t.add(Some(7), 0b1, false);
        t.add(Some(7), 0b10000, true);
        t.add(Some(3), 0, true);
        let back = RecordTally::from_bytes(&t.to_bytes().unwrap(), 7).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.records, 7);
        assert_eq!(
            (back.masks.get(7), back.minors.get(3), back.minors.get(1)),
            (0b10001, true, false)
        );
        // Not for a case with fewer customers than the tally names.
        assert_eq!(RecordTally::from_bytes(&t.to_bytes().unwrap(), 6), None);
        // The same masks in a row take one run each.
        let mut many = RecordTally::up_to(100_000);
        for c in 1..=100_000 {
            many.add(Some(c), 0b101, c == 77_777);
        }
        let bytes = many.to_bytes().unwrap();
        assert!(bytes.len() < 64, "{}", bytes.len());
        assert_eq!(RecordTally::from_bytes(&bytes, 100_000), Some(many));
    }

    #[test]
    fn anything_else_is_not_a_tally() {
        let fields = vec![0u64; pii::KINDS];
        let kept = |format: u8, runs: &[(u32, u64)], gaps: &[u64]| {
            postcard::to_allocvec(&(format, 1u64, &fields, runs, gaps)).unwrap()
        };
        assert!(RecordTally::from_bytes(&kept(FORMAT, &[(1, 3)], &[2]), 9).is_some());
        assert_eq!(RecordTally::from_bytes(b"", 9), None);
        assert_eq!(RecordTally::from_bytes(b"{\"records\": 3}", 9), None);
        assert_eq!(
            RecordTally::from_bytes(&kept(2, &[(1, 3)], &[2]), 9),
            None,
            "another format"
        );
        assert_eq!(
            RecordTally::from_bytes(&kept(FORMAT, &[(1, 3)], &[5]), 9),
            None,
            "a minor beyond the customers"
        );
        assert_eq!(
            RecordTally::from_bytes(&kept(FORMAT, &[(1, u64::MAX), (2, 2)], &[]), 9),
            None,
            "more customers than the case has"
        );
        let mut longer = kept(FORMAT, &[(1, 3)], &[2]);
        longer.push(0);
        assert_eq!(RecordTally::from_bytes(&longer, 9), None, "a byte after it");
        let short = kept(FORMAT, &[(1, 3)], &[2]);
        assert_eq!(
            RecordTally::from_bytes(&short[..short.len() - 1], 9),
            None,
            "cut short"
        );
    }
}
