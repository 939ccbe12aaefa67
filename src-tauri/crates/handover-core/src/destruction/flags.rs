//! Which records and customers a destruction touches, as one byte per id that the copies' SQL reads through a
//! function. The copies look every row of `records`, `customers` and `customer_keys` up this way: a lookup in a
//! temporary table cost a b-tree descent per row (about 0.4 s per million rows); an array read is a few
//! nanoseconds, and the function call around it well under a tenth of that descent.

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
    Ok(Registered { conn, name })
}

/// Removes its function when dropped.
pub(super) struct Registered<'c> {
    conn: &'c Connection,
    name: &'static str,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        let _ = self.conn.remove_function(self.name, 1);
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
}
