//! Command-line usage errors on one line: clap's several-line message (the
//! error, its details, a tip, the usage) folded into `stet: error: … (hint:
//! usage: …)`, like every other error of stet.

/// One line from clap's rendered (plain text) error.
pub fn usage_error_line(rendered: &str) -> String {
    let mut message = Vec::new();
    let mut hints = Vec::new();
    for l in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(usage) = l.strip_prefix("Usage: ") {
            hints.insert(0, format!("usage: {usage}"));
        } else if let Some(tip) = l.strip_prefix("tip: ") {
            hints.push(tip.to_string());
        } else if l.starts_with("For more information") {
            continue;
        } else {
            message.push(l.strip_prefix("error: ").unwrap_or(l));
        }
    }
    let message = super::sanitize::line(&message.join(" ")).into_owned();
    if hints.is_empty() {
        format!("stet: error: {message}")
    } else {
        format!(
            "stet: error: {message} (hint: {})",
            super::sanitize::line(&hints.join("; "))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::usage_error_line;

    #[test]
    fn clap_errors_fold_into_one_line() {
        let cases = [
            (
                "error: the following required arguments were not provided:\n  <TARGET>\n\nUsage: stet pin <TARGET> [SNAP]\n\nFor more information, try '--help'.\n",
                "stet: error: the following required arguments were not provided: <TARGET> (hint: usage: stet pin <TARGET> [SNAP])",
            ),
            (
                "error: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use '-- --bogus'\n\nUsage: stet log [OPTIONS] [TARGET]\n\nFor more information, try '--help'.\n",
                "stet: error: unexpected argument '--bogus' found (hint: usage: stet log [OPTIONS] [TARGET]; to pass '--bogus' as a value, use '-- --bogus')",
            ),
            (
                "error: invalid value 'purple' for '--color <WHEN>'\n  [possible values: auto, always, never]\n\nFor more information, try '--help'.\n",
                "stet: error: invalid value 'purple' for '--color <WHEN>' [possible values: auto, always, never]",
            ),
        ];
        for (rendered, want) in cases {
            assert_eq!(usage_error_line(rendered), want);
        }
    }
}
