//! The `wixcheck` binary: a thin shim over [`wixcheck::cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let status = wixcheck::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(status.code())
}
