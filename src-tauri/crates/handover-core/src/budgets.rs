//! Sizes fixed for millions of rows (caches, how many keys stay in memory) that a test may shrink in a debug
//! build, through an environment variable, to show on a few hundred thousand rows what happens past them.
//! Release builds never read the variables.

/// `release`, or in a debug build the value of the environment variable `name` when it is set and parses.
pub(crate) fn budget<T: std::str::FromStr>(name: &str, release: T) -> T {
    #[cfg(debug_assertions)]
    if let Some(value) = std::env::var(name).ok().and_then(|v| v.parse().ok()) {
        return value;
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
    release
}
