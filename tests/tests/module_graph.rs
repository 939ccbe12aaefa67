//! The core points one way: no module of `handover-core` imports a module that imports it back, directly or
//! through others. This test reads the core's sources (no compiler, no `cargo modules`), builds the graph of
//! which module uses which, and fails listing every circle as `crate::a -> crate::b -> crate::a`.
//!
//! # The rule
//! - A module is a file: `src/lib.rs` is `crate`, `src/a.rs` and `src/a/mod.rs` are `crate::a`, `src/a/b.rs`
//!   is `crate::a::b`. An inline `mod name { … }` in a file is a module of its own (`crate::a::name`), so a
//!   test module's `use super::*` points at the file it sits in.
//! - Module `m` uses module `t` when `m`'s code names a path into `t`: in a `use` (plain, `pub use`, groups
//!   `{…}`, `self` in a group, globs) or in an expression or type (`crate::t::f()`, `super::t::X`). Paths
//!   start at `crate::`, at `super::` (one level up per `super`, so child → parent counts), at `self::`, or
//!   at a child module's name (`use reader::open;` in `import/mod.rs`). A path counts for the deepest module
//!   it names: `crate::rules::status::RulesError` is a use of `crate::rules::status`; `super::Outcome` in
//!   `rules/book.rs` is a use of `crate::rules` itself. Re-exports are not followed. External crates,
//!   comments, doc comments and string literals do not count; a `mod name;` declaration is not a use.
//! - Every use is an edge, whichever way it points in the module tree. So a module may use its own
//!   descendants, and a descendant may use its ancestors (`super::…`), but not both ways round: a `mod.rs`
//!   that re-exports `pub use reader::open` while `reader.rs` takes `use super::Format` from it is a circle
//!   (`crate::import -> crate::import::reader -> crate::import`). The shared items go into a module of their
//!   own that both take (`import::types`, `rules::terms`, `wizard::content`).
//! - A circle is any cycle in that graph. For each module on a cycle the shortest cycle through it is
//!   listed (each distinct cycle once).
//!
//! # Proof that it catches circles
//! `the_check_finds_each_kind_of_circle` runs it on small made-up crates: sibling readers that import each
//! other, a parent whose child takes from it with `super`, a long chain back to `error`, and a crate with
//! none (paths in comments and strings, a test module using its own file). By hand, on 2026-12-05:
//! - run against the core as it was before this check (main at 7e54c79), it failed with 23 circles, among
//!   them `crate::error -> crate::rules::status -> crate::store -> crate::error`,
//!   `crate::audit -> crate::store -> crate::audit`,
//!   `crate::import::sheet -> crate::import::reader -> crate::import::sheet`,
//!   `crate::rules::plan -> crate::rules::status -> crate::rules::plan` and
//!   `crate::import::reader -> crate::import -> crate::import::reader`;
//! - with the circles broken it passed; adding `use crate::store::Case;` to `handover-core/src/audit.rs` made
//!   it fail with `crate::audit -> crate::store -> crate::audit` (and
//!   `crate::store::write -> crate::audit -> crate::store -> crate::store::write`); adding
//!   `use super::reader::TableReader;` to `import/sheet.rs` made it fail with
//!   `crate::import::reader -> crate::import::sheet -> crate::import::reader`; removing each line made it
//!   pass again.
//!
//! Run it alone: `cargo test -p handover-tests --test module_graph` (it is part of `make test`, through
//! `cargo test --workspace`).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

type Module = Vec<String>;

fn name(m: &[String]) -> String {
    std::iter::once("crate")
        .chain(m.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

/// Blanks out comments, string and character literals (keeping line breaks), so that only code is read.
fn strip(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let n = c.len();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, s: &[char]| {
        for ch in s {
            out.push(if *ch == '\n' { '\n' } else { ' ' });
        }
    };
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < n {
        let prev_ident = i > 0 && ident(c[i - 1]);
        if c[i] == '/' && i + 1 < n && c[i + 1] == '/' {
            let mut j = i;
            while j < n && c[j] != '\n' {
                j += 1;
            }
            blank(&mut out, &c[i..j]);
            i = j;
        } else if c[i] == '/' && i + 1 < n && c[i + 1] == '*' {
            let (mut depth, mut j) = (0, i);
            while j < n {
                if c[j] == '/' && j + 1 < n && c[j + 1] == '*' {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && j + 1 < n && c[j + 1] == '/' {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &c[i..j.min(n)]);
            i = j.min(n);
        } else if !prev_ident && (c[i] == 'r' || c[i] == 'b') && raw_string_start(&c, i).is_some() {
            let (hashes, start) = raw_string_start(&c, i).unwrap();
            let mut j = start;
            'scan: while j < n {
                if c[j] == '"' && (0..hashes).all(|k| c.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'scan;
                }
                j += 1;
            }
            blank(&mut out, &c[i..j.min(n)]);
            i = j.min(n);
        } else if c[i] == '"' || (!prev_ident && c[i] == 'b' && c.get(i + 1) == Some(&'"')) {
            let mut j = if c[i] == 'b' { i + 2 } else { i + 1 };
            while j < n && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, &c[i..(j + 1).min(n)]);
            i = (j + 1).min(n);
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{…}'); a lifetime ('a) has no closing quote after one char.
            let end = if c.get(i + 1) == Some(&'\\') {
                (i + 2..n.min(i + 14)).find(|&j| c[j] == '\'' && j > i + 2)
            } else if i + 2 < n && c[i + 2] == '\'' && c[i + 1] != '\n' {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    blank(&mut out, &c[i..=e]);
                    i = e + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `br#"`…: the number of `#` and where the text starts.
fn raw_string_start(c: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Path, // ::
    Open,
    Close,
    Semi,
    Comma,
    Star,
    Other,
}

fn lex(code: &str) -> Vec<Tok> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_alphabetic() || ch == '_' {
            let s = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(c[s..i].iter().collect()));
            continue;
        }
        i += 1;
        out.push(match ch {
            ':' if c.get(i) == Some(&':') => {
                i += 1;
                Tok::Path
            }
            '{' => Tok::Open,
            '}' => Tok::Close,
            ';' => Tok::Semi,
            ',' => Tok::Comma,
            '*' => Tok::Star,
            c if c.is_whitespace() => continue,
            _ => Tok::Other,
        });
    }
    out
}

/// Expands a use tree starting at `toks[*i]` into full paths (`a::{b, c::d}` → `a::b`, `a::c::d`).
fn use_tree(toks: &[Tok], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut segs = prefix.to_vec();
    while *i < toks.len() {
        match &toks[*i] {
            Tok::Ident(s) if s == "as" => *i += 2,
            Tok::Ident(s) => {
                if s != "self" || segs.is_empty() {
                    segs.push(s.clone());
                }
                *i += 1;
            }
            Tok::Path | Tok::Star => *i += 1,
            Tok::Open => {
                *i += 1;
                loop {
                    use_tree(toks, i, &segs, out);
                    match toks.get(*i) {
                        Some(Tok::Comma) => {
                            *i += 1;
                            if toks.get(*i) == Some(&Tok::Close) {
                                *i += 1;
                                return;
                            }
                        }
                        Some(Tok::Close) => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Tok::Comma | Tok::Close | Tok::Semi | Tok::Other => break,
        }
    }
    out.push(segs);
}

/// The module graph of a crate given as `module → source`.
fn graph(files: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut modules: BTreeSet<Module> = files.keys().cloned().collect();
    // (module the path is written in, the path)
    let mut refs: Vec<(Module, Vec<String>)> = Vec::new();
    for (file_module, src) in files {
        let toks = lex(&strip(src));
        let mut stack: Vec<(usize, Module)> = Vec::new();
        let mut current = file_module.clone();
        let mut depth = 0usize;
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::Ident(k) if k == "mod" => {
                    if let (Some(Tok::Ident(m)), Some(Tok::Open)) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        depth += 1;
                        stack.push((depth, current.clone()));
                        current.push(m.clone());
                        modules.insert(current.clone());
                        i += 3;
                        continue;
                    }
                    i += 1;
                }
                Tok::Ident(k) if k == "use" => {
                    i += 1;
                    let mut paths = Vec::new();
                    use_tree(&toks, &mut i, &[], &mut paths);
                    refs.extend(paths.into_iter().map(|p| (current.clone(), p)));
                }
                Tok::Ident(first) if toks.get(i + 1) == Some(&Tok::Path) => {
                    let preceded_by_path = i > 0 && toks[i - 1] == Tok::Path;
                    let mut path = vec![first.clone()];
                    let mut j = i + 1;
                    while toks.get(j) == Some(&Tok::Path) {
                        match toks.get(j + 1) {
                            Some(Tok::Ident(s)) => path.push(s.clone()),
                            _ => break,
                        }
                        j += 2;
                    }
                    if !preceded_by_path {
                        refs.push((current.clone(), path));
                    }
                    i = j;
                }
                Tok::Open => {
                    depth += 1;
                    i += 1;
                }
                Tok::Close => {
                    if stack.last().is_some_and(|(d, _)| *d == depth) {
                        current = stack.pop().unwrap().1;
                    }
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (from, path) in refs {
        let Some(first) = path.first() else { continue };
        let (mut base, rest): (Module, &[String]) = match first.as_str() {
            "crate" => (Vec::new(), &path[1..]),
            "super" | "self" => {
                let mut base = from.clone();
                let mut k = 0;
                while k < path.len() && (path[k] == "super" || path[k] == "self") {
                    if path[k] == "super" {
                        base.pop();
                    }
                    k += 1;
                }
                (base, &path[k..])
            }
            child if modules.contains(&[from.clone(), vec![child.to_string()]].concat()) => {
                (from.clone(), &path[..])
            }
            _ => continue, // an external crate, or a name in scope
        };
        let mut target = base.clone();
        for seg in rest {
            base.push(seg.clone());
            if modules.contains(&base) {
                target = base.clone();
            } else {
                break;
            }
        }
        if target != from {
            edges.entry(from.clone()).or_default().insert(target);
        }
    }
    for m in modules {
        edges.entry(m).or_default();
    }
    edges
}

/// Every circle, as `crate::a -> crate::b -> crate::a`: per module on a cycle, the shortest one through it.
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let mut seen: BTreeSet<BTreeSet<(Module, Module)>> = BTreeSet::new();
    let mut out = Vec::new();
    for start in edges.keys() {
        let mut prev: BTreeMap<&Module, &Module> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        let mut last = None;
        'bfs: while let Some(x) = queue.pop_front() {
            for w in &edges[x] {
                if w == start {
                    last = Some(x);
                    break 'bfs;
                }
                if !prev.contains_key(w) && edges.contains_key(w) {
                    prev.insert(w, x);
                    queue.push_back(w);
                }
            }
        }
        let Some(mut x) = last else { continue };
        let mut cycle = vec![x.clone()];
        while x != start {
            x = prev[x];
            cycle.push(x.clone());
        }
        cycle.reverse();
        let key: BTreeSet<(Module, Module)> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        if seen.insert(key) {
            let mut names: Vec<String> = cycle.iter().map(|m| name(m)).collect();
            names.push(name(start));
            out.push(names.join(" -> "));
        }
    }
    out
}

/// The sources of a crate's `src` folder, by module.
fn read_crate(src: &Path) -> BTreeMap<Module, String> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut m: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if m == ["lib"] || m.last().is_some_and(|l| l == "mod") {
                m.pop();
            }
            files.insert(m, std::fs::read_to_string(&path).unwrap());
        }
    }
    files
}

#[test]
fn handover_core_has_no_module_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates/handover-core/src");
    let files = read_crate(&src);
    assert!(
        files.len() > 50,
        "read {} files from {}",
        files.len(),
        src.display()
    );
    let found = circles(&graph(&files));
    assert!(
        found.is_empty(),
        "handover-core has {} module circle(s) (see tests/tests/module_graph.rs for the rule):\n{}",
        found.len(),
        found.join("\n")
    );
}

fn made_up(files: &[(&str, &str)]) -> BTreeMap<Module, String> {
    files
        .iter()
        .map(|(m, src)| {
            let module = m.split("::").skip(1).map(String::from).collect::<Module>();
            (module, src.to_string())
        })
        .collect()
}

#[test]
fn the_check_finds_each_kind_of_circle() {
    // Two readers that import each other, as import::reader and import::sheet did.
    let siblings = made_up(&[
        ("crate", "pub mod import;"),
        ("crate::import", "mod reader; mod sheet;"),
        (
            "crate::import::reader",
            "use super::sheet::SheetRecords; pub struct Record;",
        ),
        (
            "crate::import::sheet",
            "use super::reader::Record; pub struct SheetRecords;",
        ),
    ]);
    assert_eq!(
        circles(&graph(&siblings)),
        ["crate::import::reader -> crate::import::sheet -> crate::import::reader"]
    );

    // A parent that re-exports its child while the child takes from the parent with `super`.
    let parent = made_up(&[
        ("crate", "pub mod import;"),
        (
            "crate::import",
            "mod reader; pub use reader::open; pub enum Format {}",
        ),
        (
            "crate::import::reader",
            "use super::Format; pub fn open() {}",
        ),
    ]);
    assert_eq!(
        circles(&graph(&parent)),
        ["crate::import -> crate::import::reader -> crate::import"]
    );

    // A chain back to the error type, through expression paths and grouped uses.
    let chain = made_up(&[
        ("crate", "pub mod error; pub mod rules; pub mod store;"),
        (
            "crate::error",
            "pub enum Error { Rules(crate::rules::status::RulesError) }",
        ),
        ("crate::rules", "pub mod status;"),
        ("crate::rules::status", "use crate::{store::{self, Case}};"),
        ("crate::store", "use crate::error::Error;"),
    ]);
    assert_eq!(
        circles(&graph(&chain)),
        ["crate::error -> crate::rules::status -> crate::store -> crate::error"]
    );

    // No circle: a parent using its children only, a test module taking from its own file, and paths in
    // comments and strings.
    let fine = made_up(&[
        ("crate", "pub mod a; pub mod b; pub use a::X;"),
        (
            "crate::a",
            "// use crate::b;\n/* crate::b::Y */ pub struct X; const S: &str = \"crate::b\"; \
             #[cfg(test)] mod tests { use super::*; use crate::b::Y; }",
        ),
        (
            "crate::b",
            "use crate::a::X; pub struct Y; fn c() -> char { '{' }",
        ),
    ]);
    assert_eq!(circles(&graph(&fine)), Vec::<String>::new());
}
