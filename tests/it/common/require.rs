//! Tests that need something outside the repository (`../shared`, an
//! installed program, root) skip when it is absent and say so, so that a
//! fresh clone passes `cargo test --locked`. With `STET_REQUIRE_ALL=1`
//! (what `.ci/run` sets) an absence is a failure instead.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `true` when `present`. Otherwise prints `skipped: TEST: WHAT is
/// missing (WHY)` on stderr and returns `false`, or panics when
/// `STET_REQUIRE_ALL=1` is set.
///
/// The line is written to the stderr handle itself, not through
/// `eprintln!`, so the test harness does not capture it: a plain
/// `cargo test` shows which tests were skipped and why.
pub fn require_or_skip(present: bool, what: &str, why: &str) -> bool {
    if present {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var("STET_REQUIRE_ALL").as_deref() == Ok("1") {
        panic!("{test}: {what} is missing ({why}), and STET_REQUIRE_ALL=1 makes that a failure");
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: {what} is missing ({why})"
    );
    false
}

/// `../shared/REL` beside the checkout (corpora and tools the sessions and
/// CI have), or `None` after [`require_or_skip`] said why.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    let here = path.exists();
    require_or_skip(
        here,
        &format!("../shared/{rel}"),
        "the corpora beside the checkout; see README, Contributing",
    );
    here.then_some(path)
}

/// The program `name` (a path, or a name looked up on `PATH`), or `None`
/// after [`require_or_skip`] said why.
pub fn program(name: &str, why: &str) -> Option<PathBuf> {
    let found = if name.contains('/') {
        Some(PathBuf::from(name)).filter(|p| p.is_file())
    } else {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    };
    require_or_skip(found.is_some(), name, why);
    found
}
