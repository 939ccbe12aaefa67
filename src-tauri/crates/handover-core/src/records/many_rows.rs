//! Rows inserted many to a statement.
//!
//! An import writes a million records and about as many customers. One `INSERT` per row runs SQLite's
//! statement machinery per row — opening the table's and its indexes' cursors, finding the last row id,
//! halting and resetting — which was about a tenth of the writing thread, the thread an import waits on.
//! One statement with [`ManyRows::ROWS`] rows of values does that work once for all of them.
//!
//! The values are borrowed (`ValueRef`) from the rows being written, so nothing is copied to wait here; the
//! caller inserts what it gathered before those rows go away.
//!
//! The statements say `INSERT OR FAIL`. A plain `INSERT` of several rows may have to undo the rows before a
//! failing one while the rest of the transaction stays, so SQLite copies every page the statement changes
//! into a statement journal first — a copy of the b-tree's last pages on every statement, 3 % of the import's
//! writing thread. `OR FAIL` stops at the failing row and keeps the rows before it, which needs no journal.
//! Nothing here ever fails on purpose: a failure is an error that discards the whole import (or the
//! reclassification's transaction), rows before it included.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Statement};

use crate::Result;

/// An `INSERT` of up to [`ManyRows::ROWS`] rows into one table's columns.
pub(crate) struct ManyRows<'c> {
    conn: &'c Connection,
    /// `INSERT OR FAIL INTO table (a, b) VALUES `, followed by the rows' placeholders.
    head: &'static str,
    columns: usize,
    /// Rows of the full statement.
    rows: usize,
    /// The statement for a full set of rows, prepared once; fewer rows (the end of a batch) use SQLite's
    /// statement cache.
    full: Statement<'c>,
}

impl std::fmt::Debug for ManyRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManyRows")
            .field("head", &self.head)
            .finish()
    }
}

impl<'c> ManyRows<'c> {
    /// Rows per statement: enough that the per-statement work no longer shows, few enough that a batch of
    /// an import (512 rows) fills whole statements.
    pub(crate) const ROWS: usize = 32;

    /// `head` is `INSERT OR FAIL INTO table (a, b, …) VALUES ` naming `columns` columns (`OR FAIL`: see the
    /// module's docs).
    pub(crate) fn new(conn: &'c Connection, head: &'static str, columns: usize) -> Result<Self> {
        Self::with_rows(conn, head, columns, Self::ROWS)
    }

    /// [`ManyRows::new`] with `rows` rows to a full statement.
    pub(crate) fn with_rows(
        conn: &'c Connection,
        head: &'static str,
        columns: usize,
        rows: usize,
    ) -> Result<Self> {
        let full = conn.prepare(&sql(head, columns, rows))?;
        Ok(ManyRows {
            conn,
            head,
            columns,
            rows,
            full,
        })
    }

    /// The values of `columns` × k rows, k at most the full statement's rows, row after row.
    pub(crate) fn insert(&mut self, values: &[ValueRef<'_>]) -> Result<()> {
        let rows = values.len() / self.columns;
        debug_assert!(values.len().is_multiple_of(self.columns) && rows <= self.rows);
        if rows == 0 {
            return Ok(());
        }
        if rows == self.rows {
            return run(&mut self.full, values);
        }
        let mut partial = self
            .conn
            .prepare_cached(&sql(self.head, self.columns, rows))?;
        run(&mut partial, values)
    }
}

/// Values gathered for a [`ManyRows`], inserted once there are enough for a whole statement.
pub(crate) struct PendingRows<'v> {
    values: Vec<ValueRef<'v>>,
    columns: usize,
}

impl<'v> PendingRows<'v> {
    pub(crate) fn new(columns: usize) -> Self {
        PendingRows {
            values: Vec::with_capacity(columns * ManyRows::ROWS),
            columns,
        }
    }

    /// Adds one row's values, inserting the gathered rows when they fill a statement.
    pub(crate) fn push<const N: usize>(
        &mut self,
        into: &mut ManyRows<'_>,
        row: [ValueRef<'v>; N],
    ) -> Result<()> {
        debug_assert_eq!(N, self.columns);
        self.values.extend(row);
        if self.values.len() == self.columns * ManyRows::ROWS {
            self.flush(into)?;
        }
        Ok(())
    }

    /// Inserts what is gathered; before the rows the values borrow from go away, and before anything reads
    /// or changes the table.
    pub(crate) fn flush(&mut self, into: &mut ManyRows<'_>) -> Result<()> {
        into.insert(&self.values)?;
        self.values.clear();
        Ok(())
    }
}

fn run(stmt: &mut Statement<'_>, values: &[ValueRef<'_>]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(*v))?;
    }
    stmt.raw_execute()?;
    Ok(())
}

fn sql(head: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("{head}{}", vec![row; rows].join(", "))
}

/// Text, or NULL.
pub(crate) fn text(v: Option<&str>) -> ValueRef<'_> {
    v.map_or(ValueRef::Null, |s| ValueRef::Text(s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_lands_whether_it_fills_a_statement_or_not() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)")
            .unwrap();
        let names: Vec<String> = (0..100).map(|i| format!("客户{i}")).collect();
        let mut into =
            ManyRows::new(&conn, "INSERT OR FAIL INTO t (id, name, n) VALUES ", 3).unwrap();
        let mut pending = PendingRows::new(3);
        for (i, name) in names.iter().enumerate() {
            let name = (i % 7 != 0).then_some(name.as_str());
            pending
                .push(
                    &mut into,
                    [
                        ValueRef::Integer(i as i64 + 1),
                        text(name),
                        ValueRef::Integer(i as i64 * 2),
                    ],
                )
                .unwrap();
        }
        // 100 = 3 × 32 + 4: three whole statements ran, four rows wait.
        let count = || {
            conn.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
                .unwrap()
        };
        assert_eq!(count(), 96);
        pending.flush(&mut into).unwrap();
        assert_eq!(count(), 100);
        pending.flush(&mut into).unwrap();
        assert_eq!(count(), 100, "nothing is inserted twice");
        let rows: Vec<(i64, Option<String>, i64)> = conn
            .prepare("SELECT id, name, n FROM t ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows.len(), 100);
        for (i, (id, name, n)) in rows.into_iter().enumerate() {
            assert_eq!(id, i as i64 + 1);
            assert_eq!(name, (i % 7 != 0).then(|| format!("客户{i}")));
            assert_eq!(n, i as i64 * 2);
        }
    }
}
