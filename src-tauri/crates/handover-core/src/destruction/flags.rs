//! Which records and customers a destruction touches, as one byte per id that the copies' SQL reads through a
//! function. The copies look every row of `records`, `customers` and `customer_keys` up this way: a lookup in a
//! temporary table cost a b-tree descent per row (about 0.4 s per million rows); an array read is a few
//! nanoseconds, and the function call around it well under a tenth of that descent. The values customers who
//! stay still hold are read the same way ([`register_held`]), worked out on the side connection.

use std::sync::Arc;

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::error::Result;

pub(super) use crate::ids::ById;

/// One byte per id, for [`register`].
pub(super) type IdFlags = ById<u8>;

/// `name(id)` in SQL returns the flag of `id` (0 for NULL or an id never set) for as long as the returned
/// guard lives.
pub(super) fn register<'c>(
    conn: &'c Connection,
    name: &'static str,
    flags: IdFlags,
) -> Result<Registered<'c>> {
    let flags = Arc::new(flags);
    conn.create_scalar_function(
        name,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let id: Option<i64> = ctx.get(0)?;
            Ok(i64::from(id.map_or(0, |id| flags.get(id))))
        },
    )?;
    Ok(Registered {
        conn,
        name,
        arguments: 1,
    })
}

/// The values some customers still hold, for [`register_held`]: each (customer, kind, value) kept as 128 bits
/// of two keyed hashes (SipHash with random keys, as the standard library's maps use), not as its text. A
/// five-million-row case has hundreds of thousands of such customers, and the text with its allocations took
/// ~250 bytes a customer where this takes ~60. Two values share a key with a chance of 2^-128 per pair, and
/// without the keys, which live only in this process for this destruction, no value can be made to.
#[derive(Debug, Default)]
pub(super) struct HeldValues {
    keys: rustc_hash::FxHashSet<u128>,
    /// Random keys of their own (`RandomState::default` is `new`).
    first: std::collections::hash_map::RandomState,
    second: std::collections::hash_map::RandomState,
}

impl HeldValues {
    fn key(&self, customer: i64, kind: &str, value: &str) -> u128 {
        use std::hash::BuildHasher;
        let held = (customer, kind, value);
        (u128::from(self.first.hash_one(held)) << 64) | u128::from(self.second.hash_one(held))
    }

    pub(super) fn add(&mut self, customer: i64, kind: &str, value: &str) {
        let key = self.key(customer, kind, value);
        self.keys.insert(key);
    }

    fn holds(&self, customer: i64, kind: &str, value: &str) -> bool {
        self.keys.contains(&self.key(customer, kind, value))
    }
}

/// `name(customer id, kind, value)` in SQL returns 1 if the customer still holds the value (0 otherwise, and
/// for NULLs) for as long as the returned guard lives.
pub(super) fn register_held<'c>(
    conn: &'c Connection,
    name: &'static str,
    held: HeldValues,
) -> Result<Registered<'c>> {
    let held = Arc::new(held);
    conn.create_scalar_function(
        name,
        3,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let customer: Option<i64> = ctx.get(0)?;
            let kind = ctx.get_raw(1).as_str_or_null().ok().flatten();
            let value = ctx.get_raw(2).as_str_or_null().ok().flatten();
            Ok(i64::from(match (customer, kind, value) {
                (Some(c), Some(k), Some(v)) => held.holds(c, k, v),
                _ => false,
            }))
        },
    )?;
    Ok(Registered {
        conn,
        name,
        arguments: 3,
    })
}

/// Removes its function when dropped.
pub(super) struct Registered<'c> {
    conn: &'c Connection,
    name: &'static str,
    arguments: i32,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        let _ = self.conn.remove_function(self.name, self.arguments);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_reads_the_flag_of_each_id() {
        let conn = Connection::open_in_memory().unwrap();
        let mut flags = IdFlags::default();
        flags.set(3, 1);
        flags.set(7, 2);
        flags.set(-1, 9);
        {
            let _f = register(&conn, "flag", flags).unwrap();
            let got: Vec<i64> = conn
                .prepare("SELECT flag(value) FROM json_each('[1,3,7,8,null,-1,100000]')")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(got, [0, 1, 2, 0, 0, 0, 0]);
        }
        assert!(
            conn.query_row("SELECT flag(1)", [], |r| r.get::<_, i64>(0))
                .is_err(),
            "gone with its guard"
        );
    }

    #[test]
    fn sql_asks_whether_a_customer_still_holds_a_value() {
        let conn = Connection::open_in_memory().unwrap();
        let mut held = HeldValues::default();
        held.add(3, "mobile", "13800000000");
        held.add(3, "mobile", "13800000000");
        held.add(3, "name", "王芳");
        held.add(7, "id_card", "110101199003077777");
        let _h = register_held(&conn, "held", held).unwrap();
        let ask = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(ask("SELECT held(3, 'mobile', '13800000000')"), 1);
        assert_eq!(ask("SELECT held(3, 'name', '王芳')"), 1);
        assert_eq!(
            ask("SELECT held(3, 'id_card', '13800000000')"),
            0,
            "another kind"
        );
        assert_eq!(
            ask("SELECT held(7, 'mobile', '13800000000')"),
            0,
            "another customer"
        );
        assert_eq!(ask("SELECT held(7, 'id_card', '110101199003077777')"), 1);
        assert_eq!(ask("SELECT held(NULL, 'mobile', '13800000000')"), 0);
        assert_eq!(ask("SELECT held(3, 'mobile', NULL)"), 0);
    }
}
