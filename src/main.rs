use std::process::ExitCode;

use clap::Parser;
use stet::error::ExitStatus;

fn main() -> ExitCode {
    let cli = stet::cli::Cli::parse();
    match stet::config::Config::from_cli(cli).and_then(stet::run) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if !e.is_broken_pipe() {
                stet::report::error_line(&e.to_string(), e.hint());
            }
            ExitCode::from(e.exit_code())
        }
    }
}
