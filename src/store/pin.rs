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
//!   reference's ETag, so a slower pin never overwrites a later one;
//! - a pin killed between its two writes leaves its journal line with the
//!   reference unmoved (the journal shows the pin, `show`/`diff` the
//!   reference before it); pinning again moves the reference.

use super::journal::{Journal, PinRecord};
use super::{backend, layout, StoreError, Writer};

impl Writer {
    /// Make `id` the reference of `target`, recording the pin (`at`, `by`)
    /// in its journal. Returns the reference it replaced, as the journal
    /// records it.
    pub fn pin(
        &self,
        target: &str,
        id: &str,
        at: &str,
        by: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let store = &self.store;
        let pin = self.record_pin_from(target, |journal| {
            Ok(PinRecord {
                at: at.to_string(),
                by: by.map(str::to_string),
                reference: id.to_string(),
                previous: match last_pin(journal) {
                    Some(last) => Some(last.to_string()),
                    None => store.reference(target)?,
                },
            })
        })?;
        let Some(b) = store.backend() else {
            self.set_reference(target, id)?;
            return Ok(pin.previous);
        };
        let key = store.key(&store.layout.target_dir(target).join(layout::REFERENCE_FILE));
        let line = format!("{id}\n");
        backend::update(b, &key, |current| {
            // Read after the reference's ETag: a later pin's line, if any,
            // is seen here, or its write changes the ETag and this retries.
            let journal = store.journal(target)?;
            let still_last = last_pin(&journal) == Some(id);
            if !still_last || current == Some(line.as_bytes()) {
                return Ok((None, ()));
            }
            Ok((Some(line.clone().into_bytes()), ()))
        })?;
        Ok(pin.previous)
    }
}

/// The snapshot the journal's last pin made the reference.
fn last_pin(journal: &Journal) -> Option<&str> {
    journal.pins().last().map(|p| p.reference.as_str())
}
