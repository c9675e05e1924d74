use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use stet::error::ExitStatus;

fn main() -> ExitCode {
    let cli = match stet::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version (and help for a bare `stet`) as clap writes them.
        Err(e)
            if !e.use_stderr()
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(stet::error::exit::ERROR));
        }
        Err(e) => {
            stet::report::stderr_line(&stet::report::usage::usage_error_line(
                &e.render().to_string(),
            ));
            return ExitCode::from(stet::error::exit::ERROR);
        }
    };
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
