//! Version specs (`ID`, `TARGET@ref|latest|N|-N`, sources) and targets.
//!
//! Checks (as in tests/it/properties.rs): no panic; every string maps to a
//! store key inside the store; a parsed target's normal form parses back to
//! itself; an id spec is lower-case hex.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stet::store::{layout, VersionSpec};
use stet::target::Target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    match VersionSpec::parse(&s) {
        VersionSpec::Id(id) => assert!(id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))),
        VersionSpec::At { target, .. } => assert!(!target.is_empty()),
        VersionSpec::Source(_) => {}
    }
    let key = layout::target_key(&s);
    assert!(layout::is_target_key(&key), "{s:?} -> {key:?}");
    assert!(!key.contains('/') && !key.contains('\\') && !key.starts_with('.'));
    if let Ok(t) = Target::parse(&s) {
        let normal = t.to_string();
        let key = layout::target_key(&normal);
        assert!(layout::is_target_key(&key));
        let again = Target::parse(&normal).map(|a| a.to_string()).ok();
        assert_eq!(again, Some(normal), "normalisation is idempotent for {s:?}");
    }
});
