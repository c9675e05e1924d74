use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = stet::cli::Cli::parse();
    match stet::config::Config::from_cli(cli).and_then(stet::run) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::from(stet::error::exit::OK),
        Err(e) => {
            stet::report::error_line(&e);
            ExitCode::from(stet::error::exit::ERROR)
        }
    }
}
