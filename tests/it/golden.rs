//! Whole outputs, pinned (insta snapshots in `tests/snapshots/`): `stet diff`
//! of the fixture pairs in every diff format, and `stet audit --offline` of
//! the bundled example in every audit format. After an intended change of
//! output: `INSTA_UPDATE=always cargo test --test it golden::`, then read the
//! diff of `tests/snapshots/` before committing.

use crate::common;

use std::path::Path;

use common::stet;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Stdout and the exit code of one run, as one text; `dir` (a temporary
/// directory) is replaced by `[TMP]` should it appear.
fn run(store: &Path, cwd: &Path, args: &[&str], dir: &Path) -> String {
    let out = stet(store)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run stet");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "stet {args:?} panicked: {stderr}"
    );
    let text = format!("exit: {:?}\n{stdout}", out.status.code());
    text.replace(&dir.to_string_lossy().into_owned(), "[TMP]")
}

#[test]
fn diff_of_each_fixture_pair_in_each_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    for v in [
        "v2-boilerplate",
        "v3-edited",
        "v4-no-caption",
        "v5-links-changed",
    ] {
        for format in ["text", "json", "unified", "html"] {
            let new = format!("fixtures/article-{v}.html");
            let out = run(
                &store,
                root(),
                &["diff", "--format", format, "fixtures/article-v1.html", &new],
                dir.path(),
            );
            insta::assert_snapshot!(format!("diff-v1-{v}-{format}"), out);
        }
    }
}

/// `from` copied to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

#[test]
fn offline_audit_of_the_bundled_example_in_each_format() {
    // A copy of the example (stet.toml, the archive copy it checks, the
    // store), so that the audit journal is written there, not in the
    // repository.
    let dir = tempfile::tempdir().expect("tempdir");
    let example = dir.path().join("example");
    copy_dir(&root().join("snapshots"), &example.join("snapshots"));
    std::fs::create_dir_all(example.join("fixtures")).expect("mkdir");
    std::fs::copy(root().join("stet.toml"), example.join("stet.toml")).expect("copy");
    std::fs::copy(
        root().join("fixtures/article-v1.html"),
        example.join("fixtures/article-v1.html"),
    )
    .expect("copy");
    let store = example.join("snapshots");
    for format in ["text", "json", "junit", "github", "markdown", "html"] {
        let out = run(
            &store,
            &example,
            &["--offline", "audit", "--format", format],
            dir.path(),
        );
        insta::assert_snapshot!(format!("audit-example-{format}"), out);
    }
}
