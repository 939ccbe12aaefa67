//! A value per row id, for passes over millions of rows that must remember something per customer or per
//! record without a map's cost in memory and time.

/// A value per id (the default when never set); ids are SQLite rowids, dense from 1, so a vector indexed by
/// id is both the smallest and the fastest map (a `BTreeMap<i64, u32>` took about 40 bytes per entry).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ById<T>(Vec<T>);

impl<T: Copy + Default> ById<T> {
    /// Room for ids up to `last` from the start (growing one id at a time copies the whole vector each time
    /// it doubles).
    pub(crate) fn up_to(last: i64) -> ById<T> {
        ById(vec![
            T::default();
            usize::try_from(last).map_or(0, |l| l + 1)
        ])
    }

    /// The values of ids 0, 1, 2… in order.
    pub(crate) fn from_vec(values: Vec<T>) -> ById<T> {
        ById(values)
    }

    pub(crate) fn set(&mut self, id: i64, value: T) {
        if let Some(slot) = self.slot(id) {
            *slot = value;
        }
    }

    pub(crate) fn get(&self, id: i64) -> T {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.0.get(i).copied())
            .unwrap_or_default()
    }

    /// Changes the value of `id` in place (starting from the default when never set).
    pub(crate) fn update(&mut self, id: i64, f: impl FnOnce(T) -> T) {
        if let Some(slot) = self.slot(id) {
            *slot = f(*slot);
        }
    }

    /// Folds `other` into this one id by id (two halves of one pass, say).
    pub(crate) fn merge(&mut self, other: ById<T>, f: impl Fn(T, T) -> T) {
        if other.0.len() > self.0.len() {
            self.0.resize(other.0.len(), T::default());
        }
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine = f(*mine, theirs);
        }
    }

    /// One past the highest id ever set (or grown to).
    pub(crate) fn end(&self) -> i64 {
        self.0.len() as i64
    }

    fn slot(&mut self, id: i64) -> Option<&mut T> {
        let i = usize::try_from(id).ok()?;
        if i >= self.0.len() {
            self.0.resize(i + 1, T::default());
        }
        self.0.get_mut(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_per_id_and_merged_id_by_id() {
        let mut a = ById::<u32>::default();
        a.set(2, 0b01);
        a.update(5, |m| m | 0b10);
        a.set(-1, 7);
        assert_eq!(
            (a.get(2), a.get(5), a.get(3), a.get(-1), a.get(99)),
            (1, 2, 0, 0, 0)
        );
        let mut b = ById::<u32>::default();
        b.set(5, 0b01);
        b.set(9, 0b100);
        a.merge(b, |x, y| x | y);
        assert_eq!((a.get(2), a.get(5), a.get(9), a.end()), (1, 3, 4, 10));
    }
}
