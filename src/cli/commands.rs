//! The commands: `check` (default), `order`, `rules`, `rule`.

use super::args::{
    CheckFormat, Cli, ColorChoice, Command, FailOn, OrderArgs, OrderFormat, SourceArgs,
};
use super::{analyze, ExitStatus, UsageError};
use crate::analysis::Analysis;
use crate::diagnostic::Severity;
use crate::model::Table;
use crate::render;
use crate::rules;
use std::io::{IsTerminal, Write};

pub fn dispatch(
    cli: Cli,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, UsageError> {
    match cli.command {
        None => check(&cli.check, stdout, stderr),
        Some(Command::Check(args)) => check(&args, stdout, stderr),
        Some(Command::Order(args)) => order(&args, stdout, stderr),
        Some(Command::Rules) => list_rules(stdout),
        Some(Command::Rule { code }) => show_rule(&code, stdout),
    }
}

fn check(
    args: &super::args::CheckArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, UsageError> {
    let (mut analysis, _) = analyze(&args.sources)?;
    let (db, diagnostics) = (&analysis.db, analysis.diagnostics.as_slice());
    let rendered = match args.format {
        CheckFormat::Human => {
            let color = use_color(args.sources.color, std::io::stdout().is_terminal());
            render::human::render(db, diagnostics, color)
        }
        CheckFormat::Short => render::short::render(db, diagnostics),
        CheckFormat::Msbuild => render::msbuild::render(db, diagnostics),
        CheckFormat::Github => render::github::render(db, diagnostics),
        CheckFormat::Json => render::json::render(db, diagnostics, analysis.files),
        CheckFormat::Sarif => {
            let base = std::env::current_dir().ok();
            render::sarif::render(db, diagnostics, base.as_deref())
        }
    };
    analysis.timings.lap("render");
    write_out(stdout, &rendered)?;
    if matches!(args.format, CheckFormat::Human | CheckFormat::Short) && !args.quiet {
        let summary = format!(
            "{} file(s) checked: {} error(s), {} warning(s), {} info\n",
            analysis.files,
            analysis.count(Severity::Error),
            analysis.count(Severity::Warning),
            analysis.count(Severity::Info)
        );
        write_out(stderr, &summary)?;
    }
    write_timings(&args.sources, &analysis, stderr)?;
    let failing = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    Ok(finish(analysis, failing))
}

/// The exit status of a finished command. The analysis is not freed piece by piece: the
/// process ends right after, and the system takes its memory back at once (freeing the
/// model of a large package or project took a tenth of the run).
fn finish(analysis: Analysis, failing: Option<Severity>) -> ExitStatus {
    let status = status_of(&analysis, failing);
    std::mem::forget(analysis);
    status
}

/// Colour for human output: `auto` means the stream is a terminal and NO_COLOR is unset or
/// empty.
fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}

fn order(
    args: &OrderArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, UsageError> {
    let only = match &args.table {
        Some(name) => Some(Table::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown table `{name}`; expected one of InstallUISequence, InstallExecuteSequence, AdminUISequence, AdminExecuteSequence, AdvtExecuteSequence"
            ))
        })?),
        None => None,
    };
    let (mut analysis, defines) = analyze(&args.sources)?;
    let (tables, findings) = match args.format {
        OrderFormat::Json => (render::order_json::render(&analysis, only), String::new()),
        OrderFormat::Dot => (render::order_dot::render(&analysis, only), String::new()),
        OrderFormat::Text => {
            let color = use_color(args.sources.color, std::io::stderr().is_terminal());
            (
                render::order_text::render(&analysis, only, &defines),
                render::human::render(&analysis.db, &analysis.diagnostics, color),
            )
        }
    };
    analysis.timings.lap("render");
    write_out(stdout, &tables)?;
    write_out(stderr, &findings)?;
    write_timings(&args.sources, &analysis, stderr)?;
    Ok(finish(analysis, Some(Severity::Error)))
}

/// `--timings`: one line per stage on stderr, after everything else.
fn write_timings(
    sources: &SourceArgs,
    analysis: &Analysis,
    stderr: &mut dyn Write,
) -> Result<(), UsageError> {
    if sources.timings {
        write_out(stderr, &analysis.timings.report())?;
    }
    Ok(())
}

/// Findings when something is at `failing` severity or above (`None`: never).
fn status_of(analysis: &Analysis, failing: Option<Severity>) -> ExitStatus {
    match failing {
        Some(severity) if analysis.count_at_least(severity) > 0 => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    }
}

fn list_rules(stdout: &mut dyn Write) -> Result<ExitStatus, UsageError> {
    let mut out = String::new();
    let width = rules::all()
        .iter()
        .map(|rule| rule.code.name.len())
        .max()
        .unwrap_or_default();
    for rule in rules::all() {
        out.push_str(&format!(
            "{}  {:<width$}  {:<8} {}\n",
            rule.code.code,
            rule.code.name,
            rule.severity.as_str(),
            rule.summary()
        ));
    }
    write_out(stdout, &out)?;
    Ok(ExitStatus::Clean)
}

fn show_rule(code: &str, stdout: &mut dyn Write) -> Result<ExitStatus, UsageError> {
    let rule = rules::find(code)
        .ok_or_else(|| UsageError(format!("no rule `{code}`; `wixcheck rules` lists them")))?;
    let docs = rule.markdown();
    let header = format!(
        "{} {} (default: {})\n\n",
        rule.code.code,
        rule.code.name,
        rule.severity.as_str()
    );
    write_out(stdout, &(header + &docs + "\n"))?;
    Ok(ExitStatus::Clean)
}

fn write_out(stream: &mut dyn Write, text: &str) -> Result<(), UsageError> {
    match stream.write_all(text.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UsageError(format!("cannot write output: {err}")))
        }
        _ => Ok(()),
    }
}
