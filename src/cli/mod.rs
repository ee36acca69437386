//! The command line: parse arguments, run a command, and compute the exit status in one place.
//!
//! Exit status: 0 when nothing reaches the failing level, 1 when a finding does, 2 for usage
//! and I/O errors (bad arguments, paths that do not exist).

mod args;
mod commands;
mod settings;

pub use args::Cli;

use crate::analysis::{self, Analysis};
use args::SourceArgs;
use clap::Parser;
use std::io::Write;
use std::time::Instant;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Clean,
    Findings,
    UsageError,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::UsageError => 2,
        }
    }
}

/// A usage or I/O problem, reported on stderr with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Runs wixcheck with these arguments (the first is the program name). Meant to be called
/// once per process: what `check` and `order` read is left for the system to reclaim at exit.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            return if err.use_stderr() {
                let _ = write!(stderr, "{err}");
                ExitStatus::UsageError
            } else {
                let _ = write!(stdout, "{err}");
                ExitStatus::Clean
            };
        }
    };
    match commands::dispatch(cli, stdout, stderr) {
        Ok(status) => status,
        Err(UsageError(message)) => {
            let _ = writeln!(stderr, "wixcheck: error: {message}");
            ExitStatus::UsageError
        }
    }
}

/// Reads and analyses the sources the arguments name.
fn analyze(sources: &SourceArgs) -> Result<(Analysis, Vec<(String, String)>), UsageError> {
    let reading = Instant::now();
    let prepared = settings::prepare(sources)?;
    let read = reading.elapsed();
    let mut analysis = analysis::analyze_in(
        prepared.db,
        prepared.diagnostics,
        prepared.inputs,
        &prepared.settings,
    );
    // Reading the files is part of loading them.
    analysis.timings.add("load", read);
    Ok((analysis, prepared.defines))
}
