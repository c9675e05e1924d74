//! A progress bar on stderr for long runs: drawn only on a terminal, never
//! with `--quiet` or in CI (`CI` set), so logs and pipes stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Progress of a run over `len` items; a no-op when hidden.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `quiet`: the user asked for silence. Shown for more than one item only.
    pub fn new(len: usize, what: &str, quiet: bool) -> Progress {
        let in_ci =
            std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
        let show = len > 1 && !quiet && !in_ci && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = ProgressBar::new(len as u64);
            let style = ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {what} {{per_sec}} eta {{eta}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress { bar }
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Print a line on stderr above the bar (or plainly when there is none).
    pub fn println(&self, line: &str) {
        self.suspend(|| super::stderr_line(line));
    }

    /// Run `f` (which writes to the terminal) with the bar hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
