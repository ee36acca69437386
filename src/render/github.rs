//! `check --format github`: GitHub Actions workflow commands, which become annotations on
//! the pull request: `::error file=…,line=…,col=…,title=CODE name::message`.
//!
//! Escaping follows `@actions/core`: `%`, CR and LF in the message; additionally `:` and `,`
//! in property values. Columns are given only when the finding starts and ends on one line,
//! as GitHub requires. Labels and help follow the message on their own lines.

use super::Position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceDb;
use std::fmt::Write;

pub fn render(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = Position::of(db, diagnostic.primary);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!(
            "file={},line={},endLine={}",
            escape_property(&at.path),
            at.line,
            at.end_line
        );
        if at.line == at.end_line {
            let _ = write!(properties, ",col={},endColumn={}", at.column, at.end_column);
        }
        let title = format!("{} {}", diagnostic.code.code, diagnostic.code.name);
        let _ = write!(properties, ",title={}", escape_property(&title));
        let mut message = diagnostic.message.clone();
        for label in &diagnostic.labels {
            let at = Position::of(db, label.span);
            let _ = write!(
                message,
                "\n{}:{}:{}: {}",
                at.path, at.line, at.column, label.message
            );
        }
        for note in &diagnostic.notes {
            let _ = write!(message, "\nnote: {note}");
        }
        if let Some(help) = &diagnostic.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(out, "::{command} {properties}::{}", escape_data(&message));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
