//! The `stet.toml` parser and checks (unknown keys, targets, ignore rules).
//!
//! The file is taken to live in an empty scratch directory. Inputs with
//! `*` or `?` are skipped: a `path` glob such as `/**/*` would walk the whole
//! file system, which is slow, not wrong. Checks: no panic; an error names
//! the file, and is one line unless the input itself wrote a line break into
//! a value (an escape or a multi-line string, echoed in the message).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stet-fuzz-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join("stet.toml")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains(['*', '?']) {
        return;
    }
    if let Err(e) = stet::config::file::parse(scratch(), text) {
        let line = e.to_string();
        assert!(line.contains("stet.toml"), "{line}");
        let breaks_in_values = ["\\n", "\\r", "\\u", "\\U", "\"\"\"", "'''"]
            .iter()
            .any(|b| text.contains(b));
        assert!(
            breaks_in_values || !line.contains('\n'),
            "one line: {line:?}"
        );
    }
});
