//! Moving a target's reference (`stet pin`): a pin is a journal line (when,
//! by whom, which snapshot, which reference it replaced) and the target's
//! `reference` file. The journal line is written first, the reference
//! after it, on both backends.
//!
//! On a local store the writers' lock orders pins. On a shared store
//! (S3) both writes are compare-and-swaps on the key's ETag, retried on
//! conflict:
//!
//! - concurrent pins of one target all land in the journal, in some
//!   order, none lost or doubled; each names as `previous` the reference
//!   of the pin before it in the journal (the chain has no gap);
//! - the reference ends at the journal's last pin: a pin writes it only
//!   while its snapshot is still the last pin, checked after reading the
//!   reference's ETag, so a slower pin never overwrites a later one. The
//!   reference's second line is the pin's place in the journal: an S3
//!   ETag is a hash of the bytes, and a reference moved back to a
//!   snapshot it held before would otherwise get its old ETag back, and a
//!   slower pin's swap checked against that ETag would succeed;
//! - a pin killed between its two writes leaves its journal line with the
//!   reference unmoved (the journal shows the pin, `show`/`diff` the
//!   reference before it); pinning again moves the reference.

use super::journal::{Journal, PinRecord};
use super::{backend, layout, StoreError, Writer};

impl Writer {
    /// Make `id` the reference of `target`, recording the pin (`at`, `by`,
    /// `note`) in its journal. Returns the reference it replaced, as the
    /// journal records it.
    pub fn pin(
        &self,
        target: &str,
        id: &str,
        at: &str,
        by: Option<&str>,
        note: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let store = &self.store;
        let pin = self.record_pin_from(target, |journal| {
            Ok(PinRecord {
                at: at.to_string(),
                by: by.map(str::to_string),
                reference: id.to_string(),
                previous: match last_pin(journal) {
                    Some(last) => Some(last.to_string()),
                    // A damaged reference (another target's snapshot, not
                    // an id) is what this pin repairs: none before it.
                    None => match store.reference(target) {
                        Err(StoreError::Corrupt { .. }) => None,
                        other => other?,
                    },
                },
                note: note.map(str::to_string),
            })
        })?;
        let Some(b) = store.backend() else {
            self.set_reference(target, id)?;
            return Ok(pin.previous);
        };
        let key = store.key(&store.layout.target_dir(target).join(layout::REFERENCE_FILE));
        backend::update(b, &key, |current| {
            // Read after the reference's ETag: a later pin's line, if any,
            // is seen here, or its write changes the ETag and this retries.
            let journal = store.journal(target)?;
            let pins = journal.pins();
            if pins.last().map(|p| p.reference.as_str()) != Some(id) {
                return Ok((None, ()));
            }
            // The pin's place in the journal on a second line: an ETag is
            // a hash of the content, so a reference moved back to a
            // snapshot it held before would otherwise get its old ETag
            // back, and a slower pin's swap, checked against that ETag,
            // would land after a later pin.
            let text = format!("{id}\npin {}\n", pins.len());
            if current == Some(text.as_bytes()) {
                return Ok((None, ()));
            }
            Ok((Some(text.into_bytes()), ()))
        })?;
        Ok(pin.previous)
    }
}

/// The snapshot the journal's last pin made the reference.
fn last_pin(journal: &Journal) -> Option<&str> {
    journal.pins().last().map(|p| p.reference.as_str())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    use super::super::backend::{Backend, Versioned};
    use super::super::s3::S3Backend;
    use super::super::{Store, StoreError};
    use crate::digest::sha256_hex;

    /// A hook run once, when it is armed and a journal is read after a
    /// reference: between a pin's check of the journal and its swap.
    type Hook = Box<dyn FnOnce() + Send>;

    /// S3's versions: an object's ETag is a hash of its bytes (the same
    /// bytes written again have the same ETag), where the in-memory store
    /// counts writes.
    struct ContentTagged {
        inner: S3Backend,
        reference_read: AtomicBool,
        hook: Mutex<Option<Hook>>,
    }

    impl std::fmt::Debug for ContentTagged {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.inner.fmt(f)
        }
    }

    fn tagged(v: Versioned) -> Versioned {
        let version = Some(sha256_hex(&v.bytes));
        Versioned { version, ..v }
    }

    impl Backend for ContentTagged {
        fn url(&self, key: &str) -> String {
            self.inner.url(key)
        }
        fn get(&self, key: &str) -> Result<Option<Versioned>, StoreError> {
            let got = self.inner.get(key)?.map(tagged);
            if key.ends_with("/reference") {
                self.reference_read.store(true, Ordering::SeqCst);
            } else if key.ends_with("/journal") && self.reference_read.load(Ordering::SeqCst) {
                let hook = self.hook.lock().expect("hook lock").take();
                if let Some(hook) = hook {
                    hook();
                }
            }
            Ok(got)
        }
        fn exists(&self, key: &str) -> Result<bool, StoreError> {
            self.inner.exists(key)
        }
        fn create(&self, key: &str, bytes: &[u8]) -> Result<bool, StoreError> {
            self.inner.create(key, bytes)
        }
        fn swap(
            &self,
            key: &str,
            expected: Option<&str>,
            bytes: &[u8],
        ) -> Result<bool, StoreError> {
            // One thread at a time in these tests: read, compare, write.
            let current = self.inner.get(key)?;
            let tag = current.as_ref().map(|c| sha256_hex(&c.bytes));
            if tag.as_deref() != expected {
                return Ok(false);
            }
            let version = current.and_then(|c| c.version);
            self.inner.swap(key, version.as_deref(), bytes)
        }
        fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
            self.inner.put(key, bytes)
        }
        fn delete(&self, key: &str) -> Result<(), StoreError> {
            self.inner.delete(key)
        }
        fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
            self.inner.list(prefix)
        }
        fn list_dirs(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
            self.inner.list_dirs(prefix)
        }
    }

    /// A pin of the snapshot the reference held before (X, Y, then X
    /// again) lands between a slower pin's check and its swap: the
    /// reference must end at the journal's last pin, although X's bytes
    /// are the ones the slower pin's swap was checked against.
    #[test]
    fn a_pin_back_between_a_slower_pins_check_and_swap_is_the_reference(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let backend = Arc::new(ContentTagged {
            inner: S3Backend::in_memory("pins")?,
            reference_read: AtomicBool::new(false),
            hook: Mutex::new(None),
        });
        let store = Store::on_backend(backend.clone(), true)?;
        let target = "https://example.com/a";
        let (x, y) = (sha256_hex(b"x"), sha256_hex(b"y"));
        let writer = store.writer(std::time::Duration::ZERO)?;
        writer.pin(target, &x, "2026-12-04T00:00:00Z", None, None)?;
        let (later, later_x) = (writer.clone(), x.clone());
        *backend.hook.lock().expect("hook lock") = Some(Box::new(move || {
            let pinned = later.pin(target, &later_x, "2026-12-04T00:00:02Z", None, None);
            assert!(pinned.is_ok(), "{pinned:?}");
        }));
        backend.reference_read.store(false, Ordering::SeqCst);
        writer.pin(target, &y, "2026-12-04T00:00:01Z", None, None)?;
        assert!(
            backend.hook.lock().expect("hook lock").is_none(),
            "the later pin ran"
        );
        let journal = store.journal(target)?;
        let pins: Vec<&str> = journal
            .pins()
            .iter()
            .map(|p| p.reference.as_str())
            .collect();
        assert_eq!(pins, [x.as_str(), y.as_str(), x.as_str()]);
        // The reference file as written (x and y are no snapshots of the
        // store, so `Store::reference` would refuse them).
        let path = store
            .layout
            .target_dir(target)
            .join(super::super::layout::REFERENCE_FILE);
        let text = String::from_utf8(store.read(&path)?.unwrap_or_default())?;
        assert_eq!(super::super::reference_id(&text), x);
        Ok(())
    }
}
