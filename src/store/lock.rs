//! The store lock: one writer at a time, across processes.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::StoreError;

/// Held while a process writes to (or verifies) the store; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    Exclusive,
    Shared,
}

const POLL: Duration = Duration::from_millis(25);

impl StoreLock {
    /// Take the lock at `path`, waiting up to `timeout` for another holder.
    pub fn acquire(path: &Path, mode: LockMode, timeout: Duration) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .read(true)
            .open(path)
            .map_err(|e| StoreError::io(path, e))?;
        let deadline = Instant::now() + timeout;
        loop {
            let attempt = match mode {
                LockMode::Exclusive => file.try_lock(),
                LockMode::Shared => file.try_lock_shared(),
            };
            match attempt {
                Ok(()) => return Ok(StoreLock { _file: file }),
                Err(TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Err(StoreError::LockTimeout {
                            seconds: timeout.as_secs(),
                        });
                    }
                    std::thread::sleep(POLL);
                }
                Err(TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
            }
        }
    }
}
