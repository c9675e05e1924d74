//! Files of an archive that are gone. A `path` glob of stet.toml finds the
//! files there are; a stored target whose file was deleted would drop out
//! of the audit without a word. Its glob's stored targets are audited too,
//! and a listed file target whose file is gone is `target_dead`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::config::file::GlobOrigin;
use crate::config::AuditTarget;
use crate::store::{Store, StoreError};
use crate::target::Target;

/// `targets`, then the stored targets their globs take whose files are
/// gone (in the store's order), each with its glob's settings.
pub(super) fn with_gone_files<'a>(
    store: &Store,
    targets: &'a [AuditTarget],
) -> Result<Cow<'a, [AuditTarget]>, StoreError> {
    let mut globs: Vec<(&Arc<GlobOrigin>, &AuditTarget)> = Vec::new();
    for t in targets {
        if let Some(g) = &t.glob {
            if !globs.iter().any(|(seen, _)| Arc::ptr_eq(seen, g)) {
                globs.push((g, t));
            }
        }
    }
    if globs.is_empty() {
        return Ok(Cow::Borrowed(targets));
    }
    let audited: BTreeSet<&Target> = targets.iter().map(|t| &t.target).collect();
    let mut gone = Vec::new();
    for stored in store.targets()? {
        let Ok(target) = Target::parse(&stored) else {
            continue;
        };
        let Target::File(path) = &target else {
            continue;
        };
        if audited.contains(&target) {
            continue;
        }
        let found = globs
            .iter()
            .find_map(|(g, like)| g.file_of(path).map(|file| (file, like)));
        if let Some((file, like)) = found.filter(|(file, _)| !file.exists()) {
            gone.push(AuditTarget {
                read: (file != *path).then_some(file),
                name: None,
                target: target.clone(),
                ..(*like).clone()
            });
        }
    }
    if gone.is_empty() {
        return Ok(Cow::Borrowed(targets));
    }
    Ok(Cow::Owned(targets.iter().cloned().chain(gone).collect()))
}

/// A file target of stet.toml whose file is not there (any more).
pub(super) fn file_is_gone(t: &AuditTarget) -> bool {
    match &t.target {
        Target::File(path) if t.listed => !t.read.as_deref().unwrap_or(path).exists(),
        _ => false,
    }
}
