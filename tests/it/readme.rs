//! The README's command table names exactly the subcommands of `stet --help`.

use std::collections::BTreeSet;
use std::process::Command;

/// Subcommands listed under `Commands:` in `stet --help` (without `help`).
fn help_commands() -> BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_stet"))
        .env("COLUMNS", "60")
        .arg("--help")
        .output()
        .expect("run stet --help");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).expect("utf-8 help");
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command starts at column 2; wrapped descriptions are indented more.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Subcommands named in the first column of the README's `## Commands` table
/// (rows like `| \`stet snapshot SOURCE...\` | ... |`).
fn readme_commands() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read README.md");
    readme
        .lines()
        .skip_while(|l| l.trim() != "## Commands")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(1))
        .filter_map(|cell| cell.trim().strip_prefix("`stet "))
        .filter_map(|rest| rest.split([' ', '`']).next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_command_table_matches_stet_help() {
    let help = help_commands();
    let readme = readme_commands();
    assert!(
        help.len() >= 5,
        "parsed too few commands from --help: {help:?}"
    );
    let missing: Vec<_> = help.difference(&readme).collect();
    let extra: Vec<_> = readme.difference(&help).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README's command table and `stet --help` differ: not in the README {missing:?}, not in --help {extra:?}"
    );
}

/// `stet COMMAND --help` opens with what the command does, as `stet --help`
/// lists it (an argument group's own description once took its place).
#[test]
fn each_command_help_opens_with_its_own_description() {
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_stet"))
            .env("COLUMNS", "400")
            .args(args)
            .output()
            .expect("run stet --help");
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).expect("utf-8 help")
    };
    let top = help(&["--help"]);
    let listed: Vec<(String, String)> = top
        .lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().split_once(' '))
        .filter(|(c, _)| *c != "help")
        .map(|(c, d)| (c.to_string(), d.trim().trim_end_matches('.').to_string()))
        .collect();
    assert_eq!(listed.len(), help_commands().len(), "{top}");
    for (command, description) in listed {
        let own = help(&[&command, "--help"]);
        let first = own.lines().next().unwrap_or_default().trim_end_matches('.');
        assert_eq!(first, description, "stet {command} --help");
    }
}
